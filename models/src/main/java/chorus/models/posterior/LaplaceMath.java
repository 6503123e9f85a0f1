package chorus.models.posterior;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The diagonal Laplace distribution Laplace(loc, b), b = exp(s), one coordinate at a time, with every
 * partial derivative by hand: the posterior and prior family of MMVAE (Shi et al. 2019) and MMVAE+
 * (Palumbo et al. 2023), whose heavier tails keep experts from collapsing. Encoders give (loc, s) in their
 * {@code [mu | logvar]} columns; a Laplace expert reads the second half as s = log b (not a log variance).
 *
 * <ul>
 *   <li>density: log Laplace(x; loc, b) = -log 2 - s - |x - loc| / b;</li>
 *   <li>reparameterised sample: x = loc + b eps with eps ~ Laplace(0, 1) ({@link Noise#standardLaplace});</li>
 *   <li>KL(Laplace(mu, b1) || Laplace(0, b2)) = log(b2 / b1) + |mu| / b2 + (b1 / b2) exp(-|mu| / b1) - 1,
 *       the closed form (Gil et al. 2013), zero when mu = 0 and b1 = b2.</li>
 * </ul>
 * The sign at x = loc (a kink) is taken as 0, as every subgradient implementation does.
 */
public final class LaplaceMath {

    /** log 2, the normalising constant of a unit-scale Laplace per coordinate. */
    public static final double LOG_2 = Math.log(2.0);

    private LaplaceMath() {
    }

    /** log Laplace(x; loc, exp(s)) of one coordinate. */
    public static double logDensity(double x, double loc, double s) {
        return -LOG_2 - s - Math.abs(x - loc) * Math.exp(-s);
    }

    /** log Laplace(z; 0, 1) summed over the columns, per row {@code [rows]}: -sum_d (log 2 + |z_d|). */
    public static INDArray standardLogDensity(INDArray z) {
        return Transforms.abs(z, true).sum(1).addi(LOG_2 * z.size(1)).negi(); // [rows]
    }

    /** d logDensity / dx = -sign(x - loc) / b; the derivative in loc is its negation. */
    public static double logDensityDx(double x, double loc, double s) {
        return -Math.signum(x - loc) * Math.exp(-s);
    }

    /** d logDensity / ds = |x - loc| / b - 1. */
    public static double logDensityDs(double x, double loc, double s) {
        return Math.abs(x - loc) * Math.exp(-s) - 1.0;
    }

    /** The reparameterised sample loc + exp(s) eps. */
    public static double sample(double loc, double s, double eps) {
        return loc + Math.exp(s) * eps;
    }

    /** d sample / ds = exp(s) eps (d sample / dloc is 1). */
    public static double sampleDs(double s, double eps) {
        return Math.exp(s) * eps;
    }

    /** KL(Laplace(mu, exp(s)) || Laplace(0, priorScale)) of one coordinate, in closed form. */
    public static double klToCentred(double mu, double s, double priorScale) {
        double b1 = Math.exp(s);
        double a = Math.abs(mu);
        return Math.log(priorScale) - s + a / priorScale + b1 / priorScale * Math.exp(-a / b1) - 1.0;
    }

    /** d KL / dmu = sign(mu) (1 - exp(-|mu| / b1)) / b2. */
    public static double klToCentredDmu(double mu, double s, double priorScale) {
        return Math.signum(mu) * (1.0 - Math.exp(-Math.abs(mu) * Math.exp(-s))) / priorScale;
    }

    /** d KL / ds = (b1 / b2) exp(-|mu| / b1) (1 + |mu| / b1) - 1. */
    public static double klToCentredDs(double mu, double s, double priorScale) {
        double b1 = Math.exp(s);
        double r = Math.abs(mu) / b1;
        return b1 / priorScale * Math.exp(-r) * (1.0 + r) - 1.0;
    }
}
