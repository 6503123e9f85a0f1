package chorus.models.mfm;

import chorus.models.check.Checks;

/**
 * The squared maximum mean discrepancy between the codes {@code x} of a batch (samples of the aggregated posterior
 * q(z) = E_x q(z | x)) and samples {@code y} of the prior, as Wasserstein autoencoders estimate it (Tolstikhin et
 * al. 2018, Algorithm 2; the divergence MFM puts in place of the KL, Tsai et al. 2019, eq. 3): the unbiased
 * U-statistic
 * <pre>
 *   MMD^2 = 1/(n(n-1)) sum_{i != j} k(x_i, x_j) + 1/(m(m-1)) sum_{i != j} k(y_i, y_j) - 2/(n m) sum_{i, j} k(x_i, y_j)
 * </pre>
 * with k(x, y) = f(|x - y|^2) of a {@link MmdKernel} and scale C = 2 D (the prior N(0, I) over D dimensions). Its
 * gradient with respect to the codes (the prior samples are constants):
 * <pre>
 *   dMMD^2/dx_a = 2/(n(n-1)) sum_{j != a} f'(r_aj) 2 (x_a - x_j) - 2/(n m) sum_j f'(r_aj') 2 (x_a - y_j)
 * </pre>
 * Computed in double; n, m &gt;= 2. O((n + m)^2 D) per call, for a batch's codes.
 */
public final class Mmd {

    /** The value and dMMD^2/dx {@code [n][D]}. */
    public record Result(double value, double[][] dx) {
    }

    private Mmd() {
    }

    /** The scale C = 2 D of a kernel over D dimensions against N(0, I). */
    public static double scale(int dim) {
        Checks.positive("MMD dimension", dim);
        return 2.0 * dim;
    }

    /**
     * MMD^2 between codes {@code x [n][D]} and prior samples {@code y [m][D]}, and its gradient with respect to x.
     *
     * @throws IllegalArgumentException with fewer than two rows on either side or rows of different lengths
     */
    public static Result of(double[][] x, double[][] y, MmdKernel kernel) {
        int n = x.length;
        int m = y.length;
        if (n < 2 || m < 2) {
            throw new IllegalArgumentException("MMD of " + n + " codes against " + m + " prior samples, expected at least 2 of each");
        }
        int d = x[0].length;
        for (double[][] set : new double[][][] {x, y}) {
            for (double[] row : set) {
                if (row.length != d) {
                    throw new IllegalArgumentException("MMD: rows of " + row.length + " and " + d + " values, expected one dimension D");
                }
            }
        }
        double c = scale(d);
        double xx = 0;
        double yy = 0;
        double xy = 0;
        double[][] dx = new double[n][d];
        double wxx = 1.0 / ((double) n * (n - 1));
        double wxy = 2.0 / ((double) n * m);
        for (int a = 0; a < n; a++) {
            for (int j = 0; j < n; j++) {
                if (j != a) {
                    double r = squared(x[a], x[j]);
                    xx += kernel.value(r, c);
                    addScaled(dx[a], x[a], x[j], 2 * wxx * kernel.derivative(r, c) * 2);
                }
            }
            for (int j = 0; j < m; j++) {
                double r = squared(x[a], y[j]);
                xy += kernel.value(r, c);
                addScaled(dx[a], x[a], y[j], -wxy * kernel.derivative(r, c) * 2);
            }
        }
        for (int a = 0; a < m; a++) {
            for (int j = 0; j < m; j++) {
                if (j != a) {
                    yy += kernel.value(squared(y[a], y[j]), c);
                }
            }
        }
        double value = wxx * xx + yy / ((double) m * (m - 1)) - wxy * xy;
        return new Result(value, dx);
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double t = a[k] - b[k];
            s += t * t;
        }
        return s;
    }

    /** {@code out += s (a - b)}. */
    private static void addScaled(double[] out, double[] a, double[] b, double s) {
        for (int k = 0; k < out.length; k++) {
            out[k] += s * (a[k] - b[k]);
        }
    }
}
