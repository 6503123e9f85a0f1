package chorus.models.mmvaeplus;

import chorus.models.posterior.LaplaceMath;

/**
 * MMVAE+'s latent samples and their densities for one batch (Palumbo et al. 2023), in double precision.
 * Expert m is a diagonal Laplace over u = (z, w_m): the first Dz columns the shared z, the last Dw the
 * modality-specific w_m, read from the encoder's {@code [mu | logvar]} as (loc, log scale). K samples are
 * drawn from every expert, stacked as rows {@code (m*K + k)*B + b}, and each row gets
 * <ul>
 *   <li>log p(u), the prior Laplace(0, 1) over all D = Dz + Dw columns;</li>
 *   <li>log q_m(w_m | x_m), expert m's own density of the w columns;</li>
 *   <li>log q_mix(z | X_b) = log (1/|O_b|) sum_{r in O_b} q_r(z | x_r), the mixture over the experts its data
 *       row observes, of the z columns only.</li>
 * </ul>
 * {@link #backward} takes dL/du (from the decoders) and dL/d(log p - log q_w - log q_mix) per row, and returns
 * dL/d(loc, log scale) per expert; with {@code detach} the densities' own dependence on the experts is
 * stopped (DReG), leaving only the path through the samples.
 */
final class PlusLatents {

    final int m;
    final int k;
    final int b;
    final int d;
    final int dz;
    final double[][] loc;     // M x [B*D]
    final double[][] scale;   // M x [B*D] log scale s
    final double[][] eps;     // M x [K*B*D]
    final boolean[][] observed; // [B][M]
    final double[] u;         // [N*D], N = M*K*B
    final double[] logPrior;  // [N]
    final double[] logQw;     // [N]
    final double[] logQmix;   // [N]
    final double[][] resp;    // [N][M] responsibilities of the mixture (0 outside O_b)

    PlusLatents(double[][] loc, double[][] scale, double[][] eps, boolean[][] observed, int k, int dz) {
        this.m = loc.length;
        this.k = k;
        this.b = observed.length;
        this.d = loc[0].length / b;
        this.dz = dz;
        this.loc = loc;
        this.scale = scale;
        this.eps = eps;
        this.observed = observed;
        int n = m * k * b;
        this.u = new double[n * d];
        this.logPrior = new double[n];
        this.logQw = new double[n];
        this.logQmix = new double[n];
        this.resp = new double[n][m];
        for (int row = 0; row < n; row++) {
            forwardRow(row);
        }
    }

    /** The expert whose sample a stacked row is. */
    int expert(int row) {
        return row / (k * b);
    }

    /** The data row of a stacked row. */
    int dataRow(int row) {
        return row % b;
    }

    /** The sample index k of a stacked row. */
    int sample(int row) {
        return (row / b) % k;
    }

    private void forwardRow(int row) {
        int j = expert(row);
        int bb = dataRow(row);
        int e = (sample(row) * b + bb) * d;
        double prior = 0;
        double qw = 0;
        for (int c = 0; c < d; c++) {
            int p = bb * d + c;
            double x = LaplaceMath.sample(loc[j][p], scale[j][p], eps[j][e + c]);
            u[row * d + c] = x;
            prior += LaplaceMath.logDensity(x, 0.0, 0.0);
            if (c >= dz) {
                qw += LaplaceMath.logDensity(x, loc[j][p], scale[j][p]);
            }
        }
        logPrior[row] = prior;
        logQw[row] = qw;
        double[] lq = new double[m];
        double max = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (int r = 0; r < m; r++) {
            if (!observed[bb][r]) {
                continue;
            }
            count++;
            double v = 0;
            for (int c = 0; c < dz; c++) {
                int p = bb * d + c;
                v += LaplaceMath.logDensity(u[row * d + c], loc[r][p], scale[r][p]);
            }
            lq[r] = v;
            max = Math.max(max, v);
        }
        if (count == 0) {
            return; // a row observing nothing is never weighted
        }
        double total = 0;
        for (int r = 0; r < m; r++) {
            if (observed[bb][r]) {
                resp[row][r] = Math.exp(lq[r] - max);
                total += resp[row][r];
            }
        }
        for (int r = 0; r < m; r++) {
            resp[row][r] /= total;
        }
        logQmix[row] = max + Math.log(total) - Math.log(count);
    }

    /** dL/d(loc, log scale) per expert, each [B*D]. */
    record Grad(double[][] dLoc, double[][] dScale) {
    }

    /**
     * Backpropagates one step.
     *
     * @param dU      dL/du per stacked row {@code [N*D]} (the decoders' path, already scaled as the estimator asks)
     * @param gLogW   dL/d(log p(u) - log q_w - log q_mix) per stacked row {@code [N]}
     * @param detach  whether the densities' direct dependence on the experts is stopped (DReG)
     */
    Grad backward(double[] dU, double[] gLogW, boolean detach) {
        double[][] dLoc = new double[m][b * d];
        double[][] dScale = new double[m][b * d];
        double[] du = dU.clone();
        int n = m * k * b;
        for (int row = 0; row < n; row++) {
            double g = gLogW[row];
            if (g == 0) {
                continue;
            }
            int j = expert(row);
            int bb = dataRow(row);
            for (int c = 0; c < d; c++) {
                int i = row * d + c;
                int p = bb * d + c;
                du[i] += g * LaplaceMath.logDensityDx(u[i], 0.0, 0.0);
                if (c >= dz) { // -log q_m(w_m)
                    double dx = LaplaceMath.logDensityDx(u[i], loc[j][p], scale[j][p]);
                    du[i] -= g * dx;
                    if (!detach) {
                        dLoc[j][p] += g * dx;
                        dScale[j][p] -= g * LaplaceMath.logDensityDs(u[i], loc[j][p], scale[j][p]);
                    }
                } else { // -log q_mix(z)
                    for (int r = 0; r < m; r++) {
                        double rho = resp[row][r];
                        if (rho == 0) {
                            continue;
                        }
                        double dx = LaplaceMath.logDensityDx(u[i], loc[r][p], scale[r][p]);
                        du[i] -= g * rho * dx;
                        if (!detach) {
                            dLoc[r][p] += g * rho * dx;
                            dScale[r][p] -= g * rho * LaplaceMath.logDensityDs(u[i], loc[r][p], scale[r][p]);
                        }
                    }
                }
            }
        }
        for (int row = 0; row < n; row++) {
            int j = expert(row);
            int bb = dataRow(row);
            int e = (sample(row) * b + bb) * d;
            for (int c = 0; c < d; c++) {
                int p = bb * d + c;
                double g = du[row * d + c];
                dLoc[j][p] += g;
                dScale[j][p] += g * LaplaceMath.sampleDs(scale[j][p], eps[j][e + c]);
            }
        }
        return new Grad(dLoc, dScale);
    }
}
