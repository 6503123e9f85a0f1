package chorus.models.likelihood;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.normal;

import chorus.models.GradCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LaplaceTest {

    private final Laplace laplace = new Laplace(0.1);

    @Test
    void logProbMatchesClosedFormWithNormalisingConstant() {
        INDArray location = normal(1, 2, 3, 1), x = normal(2, 2, 3, 1);
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2);
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += -Math.abs(x.getDouble(r, c) - location.getDouble(r, c)) / 0.1 - Math.log(2 * 0.1);
            }
            expected.putScalar(r, sum);
        }
        assertClose(expected, laplace.logProb(location, x), 1e-12);
    }

    /** Data and locations differ by far more than the step, so |x - mu| is differentiable at every entry. */
    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray location = normal(3, 3, 4, 1), x = normal(4, 3, 4, 1), g = normal(5, 3, 1, 1).reshape(3);
        GradCheck.assertGradient("dLocation", laplace.backward(location, x, g), location,
                () -> GradCheck.dot(g, laplace.logProb(location, x)));
    }
}
