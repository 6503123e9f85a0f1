package chorus.models.evaluation.samples;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LatentTraversalTest {

    @Test
    void offsetsRunEvenlyFromMinusRangeToRangeThroughZero() {
        assertArrayEquals(new double[] {-3, -1.5, 0, 1.5, 3}, LatentTraversal.offsets(5, 3.0), 1e-15);
        assertArrayEquals(new double[] {-0.5, 0.5}, LatentTraversal.offsets(2, 0.5), 0);
        double[] t = LatentTraversal.offsets(7, 0.1);
        for (int i = 0; i < 7; i++) {
            assertEquals(-t[6 - i], t[i], 0, "symmetric about 0");
        }
        assertEquals(0.1, t[6], 0);
        assertEquals(0.1 / 3, t[4] - t[3], 1e-15);
    }

    @Test
    void eachRowMovesOneUnitAroundTheBaseAndKeepsTheOthers() {
        INDArray base = matrix(new double[] {0.5, -1, 2});
        INDArray z = LatentTraversal.latents(base, new int[] {2, 0}, 3, 1.0);
        assertClose(matrix(
                new double[] {0.5, -1, 1}, new double[] {0.5, -1, 2}, new double[] {0.5, -1, 3},      // unit 2: 2 + t
                new double[] {-0.5, -1, 2}, new double[] {0.5, -1, 2}, new double[] {1.5, -1, 2}), // unit 0: 0.5 + t
                z, 0);
    }

    @Test
    void aUnitOutsideTheLatentOrTooFewStepsOrNoRangeIsRejected() {
        INDArray base = matrix(new double[] {0, 0});
        var unit = assertThrows(IllegalArgumentException.class, () -> LatentTraversal.latents(base, new int[] {2}, 3, 1));
        assertEquals("traversal unit 2: expected 0..1 (the latent has 2 units)", unit.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatentTraversal.offsets(1, 1));
        assertThrows(IllegalArgumentException.class, () -> LatentTraversal.offsets(3, 0));
        assertThrows(IllegalArgumentException.class, () -> LatentTraversal.offsets(3, Double.NaN));
    }

    @Test
    void aUnitWhosePosteriorMeanFollowsTheDataIsActiveAndACollapsedOneIsNot() {
        // Unit 0 moves with x (+-1: variance 1); unit 1 sits at 5 for every x (collapsed, however far from 0);
        // unit 2 barely moves (+-0.05: variance 0.0025, below Burda et al.'s 0.01).
        INDArray means = matrix(new double[] {-1, 5, 0.05}, new double[] {1, 5, -0.05},
                new double[] {-1, 5, 0.05}, new double[] {1, 5, -0.05});
        double[] a = LatentTraversal.activity(means);
        assertArrayEquals(new double[] {1, 0, 0.0025}, a, 1e-12);
        assertTrue(a[0] > LatentTraversal.ACTIVE && a[1] < LatentTraversal.ACTIVE && a[2] < LatentTraversal.ACTIVE);
    }

    @Test
    void mostActiveUnitsComeFirstWithTiesInUnitOrder() {
        assertArrayEquals(new int[] {3, 1, 0}, LatentTraversal.mostActive(new double[] {0.1, 0.5, 0.05, 0.9}, 3));
        assertArrayEquals(new int[] {0, 2}, LatentTraversal.mostActive(new double[] {0.2, 0.1, 0.2}, 2));
        assertThrows(IllegalArgumentException.class, () -> LatentTraversal.mostActive(new double[] {1, 2}, 3));
    }

    @Test
    void posteriorMeansInBatchesEqualTheMeansOfTheFirstRowsAtOnce() {
        MultimodalVae model = ModelFixtures.model(2, DataType.FLOAT);
        PosteriorRule poe = new PosteriorRule(Combination.POE, true);
        Dataset data = ModelFixtures.dataset("test", 7, 4);
        INDArray batched = LatentTraversal.posteriorMeans(model, poe, data, 5, 2, b -> b);     // batches of 2, 2, 1
        INDArray atOnce = Generation.posterior(model, poe, data.batch(0, IntStream.range(0, 5).toArray()),
                List.of("image", "label", "features")).mean();
        assertEquals(5, batched.size(0));
        assertClose(atOnce, batched, 1e-6);
    }
}
