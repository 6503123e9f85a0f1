package chorus.models.posterior;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.expert;
import static chorus.models.MathFixtures.normal;
import static chorus.models.MathFixtures.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.GradCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DivergenceTest {

    /**
     * 200k samples of log q(z) - log p(z) under q. Its variance here is sum_d ((s_d^2 - 1)^2 / 2 +
     * mu_d^2 s_d^2) = 1.68 (s_d^2 = exp(logvar_d)), so the standard error of the mean is
     * sqrt(1.68 / 200000) = 0.0029; the tolerance 0.0145 is five standard errors.
     */
    @Test
    void analyticKlMatchesMonteCarloWithinFiveStandardErrors() {
        int n = 200_000;
        Gaussian q = new Gaussian(Nd4j.create(new double[][] {{0.5, -1.0, 0.2}}), Nd4j.create(new double[][] {{-0.5, 0.3, 0.0}}));
        Gaussian many = q.repeat(n);
        INDArray z = many.sample(Noise.standardNormal(2024, DataType.DOUBLE, n, 3));
        INDArray estimates = Divergence.monteCarlo(many.logDensity(z), Divergence.standardNormalLogDensity(z));
        assertEquals(Divergence.klStandardNormal(q).getDouble(0), estimates.meanNumber().doubleValue(), 0.0145);
    }

    @Test
    void klOfTheStandardNormalIsZero() {
        assertClose(Nd4j.zeros(DataType.DOUBLE, 4), Divergence.klStandardNormal(Gaussian.standard(4, 3, DataType.DOUBLE)), 0.0);
    }

    @Test
    void klGradientMatchesFiniteDifferences() {
        Gaussian q = expert(1, 3, 4);
        INDArray g = normal(2, 3, 1, 1).reshape(3);
        GaussianGrad grad = Divergence.klStandardNormalBackward(q, g);
        GradCheck.assertGradient("dMu", grad.dMu(), q.mu(), () -> GradCheck.dot(g, Divergence.klStandardNormal(q)));
        GradCheck.assertGradient("dLogvar", grad.dLogvar(), q.logvar(), () -> GradCheck.dot(g, Divergence.klStandardNormal(q)));
    }

    @Test
    void standardNormalLogDensityIsTheUnitGaussiansDensity() {
        INDArray z = normal(3, 4, 3, 1.3);
        assertClose(Gaussian.standard(4, 3, DataType.DOUBLE).logDensity(z), Divergence.standardNormalLogDensity(z), 1e-12);
    }

    @Test
    void standardNormalLogDensityGradientMatchesFiniteDifferences() {
        INDArray z = normal(4, 4, 3, 1.3);
        INDArray g = normal(5, 4, 1, 1).reshape(4);
        INDArray dz = Divergence.standardNormalLogDensityBackward(z, g);
        GradCheck.assertGradient("dz", dz, z, () -> GradCheck.dot(g, Divergence.standardNormalLogDensity(z)));
    }

    @Test
    void monteCarloKlIsLogQMinusLogP() {
        assertClose(vector(1.5, -2.0), Divergence.monteCarlo(vector(1.0, -1.0), vector(-0.5, 1.0)), 0.0);
    }

    @Test
    void monteCarloRejectsDensitiesOfDifferentLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Divergence.monteCarlo(vector(1, 2, 3), vector(1, 2)));
        assertTrue(e.getMessage().contains("log p") && e.getMessage().contains("[2]"), e.getMessage());
    }
}
