package chorus.models.concat;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.normal;
import static chorus.models.MathFixtures.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.GradCheck;
import chorus.models.likelihood.Bernoulli;
import chorus.models.likelihood.Categorical;
import chorus.models.likelihood.FixedScaleGaussian;
import chorus.models.likelihood.Likelihood;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The concatenated VAE's likelihood: weighted per-segment sums, masking, and its backward. */
class SegmentedTest {

    // Bernoulli over 4 values (lambda 1), categorical over 3 (lambda 2.5), Gaussian over 2 (lambda 0.7).
    private static final List<Likelihood> PARTS = List.of(new Bernoulli(), new Categorical(), new FixedScaleGaussian(0.5));
    private static final int[] SIZES = {4, 3, 2};
    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final int[] OFFSETS = {0, 4, 7};
    // Six rows: all observed, each modality missing once, only the features, and nothing.
    private static final double[][] PRESENCE = {{1, 1, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}, {0, 0, 1}, {0, 0, 0}};

    private final Segmented segmented = new Segmented(List.of(
            new Segmented.Segment(PARTS.get(0), 4, LAMBDAS[0]),
            new Segmented.Segment(PARTS.get(1), 3, LAMBDAS[1]),
            new Segmented.Segment(PARTS.get(2), 2, LAMBDAS[2])));

    /** Joint rows {@code [6, 9 + 3]}; absent segments hold arbitrary finite values, never to be read. */
    private static INDArray data(long seed) {
        return data(seed, PRESENCE);
    }

    private static INDArray data(long seed, double[][] presence) {
        INDArray image = uniform(seed, 6, 4, 0, 1);
        INDArray label = Nd4j.zeros(DataType.DOUBLE, 6, 3);
        for (int r = 0; r < 6; r++) {
            label.putScalar(r, (r + (int) seed) % 3, 1.0);
        }
        return Nd4j.hstack(image, label, normal(seed + 1, 6, 2, 1.0), Nd4j.create(presence)); // [6, 12]
    }

    private static INDArray segment(INDArray a, int m) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(OFFSETS[m], OFFSETS[m] + SIZES[m])).dup();
    }

    @Test
    void logProbIsTheLambdaWeightedSumOfTheObservedSegments() {
        INDArray params = normal(1, 6, 9, 1.5), x = data(2);
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 6);
        for (int m = 0; m < 3; m++) {
            INDArray lp = PARTS.get(m).logProb(segment(params, m), segment(x, m)); // [6] every row, masked below
            for (int r = 0; r < 6; r++) {
                expected.putScalar(r, expected.getDouble(r) + PRESENCE[r][m] * LAMBDAS[m] * lp.getDouble(r));
            }
        }
        assertClose(expected, segmented.logProb(params, x), 1e-12);
    }

    @Test
    void unweightedIsTheDensityTheSumOfTheObservedSegmentsLogLikelihoods() {
        INDArray params = normal(5, 6, 9, 1.5), x = data(6);
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 6);
        for (int m = 0; m < 3; m++) {
            INDArray lp = PARTS.get(m).logProb(segment(params, m), segment(x, m));
            for (int r = 0; r < 6; r++) {
                expected.putScalar(r, expected.getDouble(r) + PRESENCE[r][m] * lp.getDouble(r));
            }
        }
        assertClose(expected, segmented.unweighted().logProb(params, x), 1e-12);
        assertEquals(new Bernoulli(), new Bernoulli().unweighted());
    }

    @Test
    void absentSegmentsContributeExactlyZero() {
        INDArray params = normal(3, 6, 9, 1.5), x = data(4);
        INDArray otherParams = params.dup(), otherX = x.dup();
        for (int r = 0; r < 6; r++) {
            for (int m = 0; m < 3; m++) {
                if (PRESENCE[r][m] == 0) {
                    for (int c = OFFSETS[m]; c < OFFSETS[m] + SIZES[m]; c++) {
                        otherParams.putScalar(r, c, 40.0 + c);
                        otherX.putScalar(r, c, -7.0);
                    }
                }
            }
        }
        INDArray lp = segmented.logProb(params, x);
        assertArrayEquals(lp.toDoubleVector(), segmented.logProb(otherParams, otherX).toDoubleVector());
        assertEquals(0.0, lp.getDouble(5), 0.0, "a row observing nothing scores 0");
    }

    @Test
    void absentSegmentsGetExactlyZeroGradient() {
        INDArray params = normal(5, 6, 9, 1.5), x = data(6), g = normal(7, 6, 1, 1.0).reshape(6);
        INDArray d = segmented.backward(params, x, g);
        for (int r = 0; r < 6; r++) {
            for (int m = 0; m < 3; m++) {
                for (int c = OFFSETS[m]; c < OFFSETS[m] + SIZES[m]; c++) {
                    double v = d.getDouble(r, c);
                    assertTrue(PRESENCE[r][m] == 1 ? v != 0.0 : Double.doubleToRawLongBits(v) == 0L,
                            "row " + r + " column " + c + ": " + v);
                }
            }
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray params = normal(8, 6, 9, 1.5), x = data(9), g = normal(10, 6, 1, 1.0).reshape(6);
        GradCheck.assertGradient("dParams", segmented.backward(params, x, g), params,
                () -> GradCheck.dot(g, segmented.logProb(params, x)));
    }

    @Test
    void gradientMatchesFiniteDifferencesWhenEveryRowObservesEverything() {
        double[][] all = new double[6][];
        java.util.Arrays.setAll(all, r -> new double[] {1, 1, 1});
        INDArray params = normal(14, 6, 9, 1.5), x = data(15, all), g = normal(16, 6, 1, 1.0).reshape(6);
        GradCheck.assertGradient("dParams", segmented.backward(params, x, g), params,
                () -> GradCheck.dot(g, segmented.logProb(params, x)));
    }

    @Test
    void meanIsEverySegmentsMeanThenPresenceOnes() {
        INDArray params = normal(11, 6, 9, 1.5);
        INDArray expected = Nd4j.hstack(PARTS.get(0).mean(segment(params, 0)), PARTS.get(1).mean(segment(params, 1)),
                PARTS.get(2).mean(segment(params, 2)), Nd4j.ones(DataType.DOUBLE, 6, 3));
        assertClose(expected, segmented.mean(params), 0.0);
    }

    @Test
    void paramSizeIsTheSumOfTheSegmentsAndNeedsThePresenceColumns() {
        assertEquals(9, segmented.paramSize(12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> segmented.paramSize(9));
        assertTrue(e.getMessage().contains("expected 12 (9 values + 3 presence columns)"), e.getMessage());
    }

    @Test
    void rejectsPresenceColumnsThatAreNotAMask() {
        INDArray params = normal(12, 6, 9, 1.0), x = data(13);
        x.putScalar(0, 10, 0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> segmented.logProb(params, x));
        assertTrue(e.getMessage().contains("presence columns"), e.getMessage());
    }

    @Test
    void rejectsNestedSegmentsAndNegativeWeights() {
        assertThrows(IllegalArgumentException.class, () -> new Segmented.Segment(segmented, 12, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Segmented.Segment(new Bernoulli(), 4, -1.0));
    }
}
