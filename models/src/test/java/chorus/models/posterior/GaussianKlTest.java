package chorus.models.posterior;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.expert;
import static chorus.models.MathFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.models.GradCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** KL between two diagonal Gaussians (JMVAE-kl's KL(q(z | X) || q_m(z | x_m))). */
class GaussianKlTest {

    @Test
    void klOfAGaussianToItselfIsZero() {
        Gaussian q = expert(1, 4, 3);
        assertClose(Nd4j.zeros(DataType.DOUBLE, 4), Divergence.klGaussian(q, q), 1e-12);
    }

    @Test
    void klToTheStandardNormalIsTheStandardNormalKl() {
        Gaussian q = expert(2, 4, 3);
        assertClose(Divergence.klStandardNormal(q), Divergence.klGaussian(q, Gaussian.standard(4, 3, DataType.DOUBLE)), 1e-12);
    }

    /** One dimension by hand: q = N(1, e^0.5), p = N(-1, e^-0.5): 1/2 (-0.5 - 0.5 + (e^0.5 + 4) e^0.5 - 1). */
    @Test
    void klMatchesTheClosedFormInOneDimension() {
        Gaussian q = new Gaussian(Nd4j.create(new double[][] {{1.0}}), Nd4j.create(new double[][] {{0.5}}));
        Gaussian p = new Gaussian(Nd4j.create(new double[][] {{-1.0}}), Nd4j.create(new double[][] {{-0.5}}));
        double expected = 0.5 * (-1.0 + (Math.exp(0.5) + 4.0) * Math.exp(0.5) - 1.0);
        assertEquals(expected, Divergence.klGaussian(q, p).getDouble(0), 1e-12);
    }

    @Test
    void klGradientsMatchFiniteDifferencesForBothGaussians() {
        Gaussian q = expert(3, 3, 4);
        Gaussian p = expert(4, 3, 4);
        INDArray g = normal(5, 3, 1, 1).reshape(3);
        Divergence.PairGrad grad = Divergence.klGaussianBackward(q, p, g);
        java.util.function.DoubleSupplier loss = () -> GradCheck.dot(g, Divergence.klGaussian(q, p));
        GradCheck.assertGradient("dMu q", grad.q().dMu(), q.mu(), loss);
        GradCheck.assertGradient("dLogvar q", grad.q().dLogvar(), q.logvar(), loss);
        GradCheck.assertGradient("dMu p", grad.p().dMu(), p.mu(), loss);
        GradCheck.assertGradient("dLogvar p", grad.p().dLogvar(), p.logvar(), loss);
    }
}
