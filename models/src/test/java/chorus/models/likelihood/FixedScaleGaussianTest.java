package chorus.models.likelihood;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import chorus.models.GradCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FixedScaleGaussianTest {

    private final FixedScaleGaussian gaussian = new FixedScaleGaussian(0.75);

    @Test
    void logProbMatchesClosedFormWithNormalisingConstant() {
        INDArray mean = normal(1, 2, 3, 1), x = normal(2, 2, 3, 1);
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2);
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                double u = (x.getDouble(r, c) - mean.getDouble(r, c)) / 0.75;
                sum += -0.5 * u * u - Math.log(0.75 * Math.sqrt(2 * Math.PI));
            }
            expected.putScalar(r, sum);
        }
        assertClose(expected, gaussian.logProb(mean, x), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray mean = normal(3, 3, 4, 1), x = normal(4, 3, 4, 1), g = normal(5, 3, 1, 1).reshape(3);
        GradCheck.assertGradient("dMean", gaussian.backward(mean, x, g), mean,
                () -> GradCheck.dot(g, gaussian.logProb(mean, x)));
    }

    @Test
    void meanIsACopyOfTheParams() {
        INDArray mean = normal(6, 2, 3, 1);
        assertClose(mean, gaussian.mean(mean), 0.0);
        assertNotSame(mean, gaussian.mean(mean));
    }
}
