package chorus.models.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The Laplace density, sample and closed-form KL against finite differences, Monte-Carlo and moments. */
class LaplaceMathTest {

    private static final double[][] POINTS = {{0.3, -0.2, 0.1}, {-1.4, 0.5, -0.7}, {2.0, 1.0, 0.4}, {0.05, -0.3, -1.1}};

    private static double fd(DoubleUnaryOperator f, double x) {
        double h = 1e-6;
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }

    @Test
    void logDensityPartialsMatchFiniteDifferences() {
        for (double[] p : POINTS) {
            double x = p[0];
            double loc = p[1];
            double s = p[2];
            assertEquals(fd(v -> LaplaceMath.logDensity(v, loc, s), x), LaplaceMath.logDensityDx(x, loc, s), 1e-8);
            assertEquals(fd(v -> LaplaceMath.logDensity(x, v, s), loc), -LaplaceMath.logDensityDx(x, loc, s), 1e-8);
            assertEquals(fd(v -> LaplaceMath.logDensity(x, loc, v), s), LaplaceMath.logDensityDs(x, loc, s), 1e-8);
            assertEquals(fd(v -> LaplaceMath.sample(loc, v, x), s), LaplaceMath.sampleDs(s, x), 1e-8);
        }
    }

    @Test
    void klPartialsMatchFiniteDifferences() {
        for (double[] p : POINTS) {
            double mu = p[0];
            double s = p[2];
            double b2 = Math.exp(p[1]);
            assertEquals(fd(v -> LaplaceMath.klToCentred(v, s, b2), mu), LaplaceMath.klToCentredDmu(mu, s, b2), 1e-8);
            assertEquals(fd(v -> LaplaceMath.klToCentred(mu, v, b2), s), LaplaceMath.klToCentredDs(mu, s, b2), 1e-8);
        }
    }

    @Test
    void densityIntegratesToOne() {
        double loc = 0.4;
        double s = -0.3;
        double sum = 0;
        double h = 1e-3;
        for (double x = -30; x < 30; x += h) {
            sum += Math.exp(LaplaceMath.logDensity(x, loc, s)) * h;
        }
        assertEquals(1.0, sum, 1e-4);
    }

    @Test
    void klIsZeroAtThePriorAndMatchesMonteCarlo() {
        assertEquals(0.0, LaplaceMath.klToCentred(0.0, Math.log(1.7), 1.7), 1e-15);
        double mu = 0.8;
        double s = -0.5;
        double b2 = 1.3;
        double[] eps = Noise.standardLaplace(5, DataType.DOUBLE, 200_000, 1).data().asDouble();
        double mc = 0;
        for (double e : eps) {
            double x = LaplaceMath.sample(mu, s, e);
            mc += (LaplaceMath.logDensity(x, mu, s) - LaplaceMath.logDensity(x, 0.0, Math.log(b2))) / eps.length;
        }
        // standard error of the estimate is about 0.002 at 200k samples
        assertEquals(LaplaceMath.klToCentred(mu, s, b2), mc, 0.01);
    }

    @Test
    void standardLaplaceNoiseHasMeanZeroAndVarianceTwo() {
        double[] eps = Noise.standardLaplace(9, DataType.DOUBLE, 100_000, 2).data().asDouble();
        double mean = java.util.Arrays.stream(eps).average().orElseThrow();
        double var = java.util.Arrays.stream(eps).map(e -> (e - mean) * (e - mean)).sum() / eps.length;
        assertEquals(0.0, mean, 0.01);
        assertEquals(2.0, var, 0.04);
        assertEquals(Noise.standardLaplace(9, DataType.DOUBLE, 3, 2), Noise.standardLaplace(9, DataType.DOUBLE, 3, 2));
    }
}
