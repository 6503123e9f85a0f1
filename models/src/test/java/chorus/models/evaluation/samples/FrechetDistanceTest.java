package chorus.models.evaluation.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FrechetDistanceTest {

    /** Four points with mean 0 and sample covariance diag(2/3, 8/3). */
    private static final double[][] CROSS = {{1, 0}, {-1, 0}, {0, 2}, {0, -2}};

    private static INDArray rows(double[][] v) {
        return Nd4j.create(v).castTo(DataType.DOUBLE);
    }

    @Test
    void diagonalCovariancesMatchTheClosedForm() {
        INDArray a = rows(CROSS);
        INDArray b = a.mulRowVector(Nd4j.createFromArray(3.0, 1.0)).addRowVector(Nd4j.createFromArray(1.0, 1.0));
        // |mu|^2 = 2; covariances diag(2/3, 8/3) and diag(6, 8/3): sum over dims of (sqrt(s_a) - sqrt(s_b))^2
        double expected = 2 + Math.pow(Math.sqrt(2.0 / 3) - Math.sqrt(6), 2);
        assertEquals(expected, FrechetDistance.between(a, b), 1e-9);
    }

    @Test
    void aSetIsAtDistanceZeroFromItselfAndTheDistanceIsSymmetric() {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 40, 5);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 30, 5).muli(2);
        assertEquals(0, FrechetDistance.between(a, a), 1e-9);
        assertEquals(FrechetDistance.between(a, b), FrechetDistance.between(b, a), 1e-8);
    }

    @Test
    void aSharedRotationChangesNothing() {
        INDArray a = Nd4j.rand(DataType.DOUBLE, 40, 2);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 40, 2).muli(Nd4j.createFromArray(3.0, 0.5));
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        INDArray rot = Nd4j.createFromArray(new double[][] {{c, -s}, {s, c}});
        assertEquals(FrechetDistance.between(a, b), FrechetDistance.between(a.mmul(rot), b.mmul(rot)), 1e-9);
    }

    @Test
    void featuresOfDifferentWidthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(rows(CROSS), Nd4j.rand(4, 3)));
    }
}
