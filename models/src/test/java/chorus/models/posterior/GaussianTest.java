package chorus.models.posterior;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.expert;
import static chorus.models.MathFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianTest {

    @Test
    void logDensityMatchesClosedForm() {
        Gaussian q = expert(1, 3, 4);
        INDArray z = normal(2, 3, 4, 1.0);
        INDArray expected = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 3);
        for (int r = 0; r < 3; r++) {
            double sum = 0;
            for (int d = 0; d < 4; d++) {
                double var = Math.exp(q.logvar().getDouble(r, d));
                double diff = z.getDouble(r, d) - q.mu().getDouble(r, d);
                sum += -0.5 * Math.log(2 * Math.PI * var) - diff * diff / (2 * var);
            }
            expected.putScalar(r, sum);
        }
        assertClose(expected, q.logDensity(z), 1e-12);
    }

    @Test
    void sampleIsMeanPlusStandardDeviationTimesNoise() {
        Gaussian q = expert(3, 2, 3);
        INDArray eps = normal(4, 2, 3, 1.0);
        double expected = q.mu().getDouble(1, 2) + Math.exp(q.logvar().getDouble(1, 2) / 2) * eps.getDouble(1, 2);
        assertEquals(expected, q.sample(eps).getDouble(1, 2), 1e-12);
    }

    @Test
    void sampleGradientMatchesFiniteDifferences() {
        Gaussian q = expert(5, 3, 4);
        INDArray eps = normal(6, 3, 4, 1.0);
        INDArray g = normal(7, 3, 4, 1.0);
        GaussianGrad grad = q.sampleBackward(eps, g);
        GradCheck.assertGradient("dMu", grad.dMu(), q.mu(), () -> GradCheck.dot(g, q.sample(eps)));
        GradCheck.assertGradient("dLogvar", grad.dLogvar(), q.logvar(), () -> GradCheck.dot(g, q.sample(eps)));
    }

    @Test
    void logDensityGradientMatchesFiniteDifferences() {
        Gaussian q = expert(8, 3, 4);
        INDArray z = normal(9, 3, 4, 1.5);
        INDArray g = normal(10, 3, 1, 1.0).reshape(3);
        Gaussian.DensityGrad grad = q.logDensityBackward(z, g);
        GradCheck.assertGradient("dz", grad.dz(), z, () -> GradCheck.dot(g, q.logDensity(z)));
        GradCheck.assertGradient("dMu", grad.params().dMu(), q.mu(), () -> GradCheck.dot(g, q.logDensity(z)));
        GradCheck.assertGradient("dLogvar", grad.params().dLogvar(), q.logvar(), () -> GradCheck.dot(g, q.logDensity(z)));
    }

    @Test
    void repeatedGradientSumsBackOverBlocks() {
        Gaussian q = expert(11, 2, 3);
        INDArray g = normal(12, 6, 3, 1.0);
        GaussianGrad summed = new GaussianGrad(g, g.mul(2)).sumBlocks(3);
        INDArray expected = g.getRow(1).add(g.getRow(3)).add(g.getRow(5));
        assertClose(expected, summed.dMu().getRow(1), 1e-12);
        assertClose(q.mu().getRow(1), q.repeat(3).mu().getRow(5), 0.0);
    }

    @Test
    void rowsAndConcatRoundTrip() {
        Gaussian q = expert(13, 5, 2);
        Gaussian back = Gaussian.concat(java.util.List.of(q.rows(0, 2), q.rows(2, 5)));
        assertClose(q.mu(), back.mu(), 0.0);
        assertClose(q.logvar(), back.logvar(), 0.0);
    }

    @Test
    void rejectsMismatchedShapesNamingLogvar() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Gaussian(normal(1, 2, 3, 1), normal(2, 2, 4, 1)));
        assertTrue(e.getMessage().contains("logvar") && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    @Test
    void rejectsNaNNamingMu() {
        INDArray mu = normal(1, 2, 3, 1);
        mu.putScalar(1, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Gaussian(mu, MathFixtures.normal(2, 2, 3, 1)));
        assertTrue(e.getMessage().contains("mu") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void rejectsNoiseOfWrongShape() {
        Gaussian q = expert(1, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.sample(normal(2, 3, 3, 1)));
        assertTrue(e.getMessage().contains("eps") && e.getMessage().contains("[3, 3]"), e.getMessage());
    }
}
