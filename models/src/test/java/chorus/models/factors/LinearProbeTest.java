package chorus.models.factors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.MathFixtures;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class LinearProbeTest {

    private static final int[] FIT = IntStream.range(0, 200).toArray();
    private static final int[] SCORE = IntStream.range(200, 400).toArray();

    @Test
    void aLinearFactorHasHeldOutRSquaredOne() {
        INDArray x = MathFixtures.normal(1, 400, 3, 1.0);
        double[] y = new double[400];
        for (int i = 0; i < 400; i++) {
            y[i] = 2.0 * x.getDouble(i, 0) - x.getDouble(i, 2) + 0.5;
        }
        assertEquals(1.0, LinearProbe.rSquared(x, y, FIT, SCORE), 1e-4);
    }

    /** Independent noise: the held-out R^2 is near 0 (slightly below: the fit's noise does not generalise). */
    @Test
    void anUnrelatedFactorHasHeldOutRSquaredNearZero() {
        INDArray x = MathFixtures.normal(2, 400, 3, 1.0);
        double[] y = MathFixtures.normal(3, 400, 1, 1.0).data().asDouble();
        double r2 = LinearProbe.rSquared(x, y, FIT, SCORE);
        assertTrue(r2 < 0.05 && r2 > -0.1, "R^2 " + r2);
    }

    @Test
    void linearlySeparableClassesAreClassifiedExactly() {
        INDArray x = MathFixtures.normal(4, 400, 2, 0.05);
        int[] labels = new int[400];
        for (int i = 0; i < 400; i++) {
            labels[i] = i % 3;
            x.putScalar(i, labels[i] == 2 ? 1 : 0, x.getDouble(i, labels[i] == 2 ? 1 : 0) + (labels[i] == 0 ? 0 : 1)); // (0,0) (1,0) (0,1)
        }
        assertEquals(1.0, LinearProbe.accuracy(x, labels, 3, FIT, SCORE), 0.0);
    }
}
