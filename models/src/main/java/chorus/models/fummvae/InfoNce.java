package chorus.models.fummvae;

import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The InfoNCE term of the seed notes' factorised MMVAE ({@code m_infoNCE_naive}, "Factorized Training: Proposed
 * Method") for one modality m, between the MMVAE's expert q = q_m(z | x_m) with its sample z_q = mu_q + s_q eps_q
 * and the unimodal VAE's encoder u = u_m(z | x_m) with its sample z_u = mu_u + s_u eps_u. Per row b and latent
 * dimension d it scores four one-dimensional densities (not log densities) as the logits of four classes:
 * <pre>
 *   p1 = q(z_q)_d   p2 = u(z_u)_d   (each latent at its own sample: targets 1)
 *   p3 = u(z_q)_d   p4 = q(z_u)_d   (each latent at the other's sample: targets 0)
 * </pre>
 * and takes the cross-entropy with the unnormalised target (1, 1, 0, 0) over the class axis, as PyTorch's
 * {@code CrossEntropyLoss} does with probability targets: CE_bd = -(log softmax(p)_1 + log softmax(p)_2) =
 * 2 log sum_c exp(p_c) - p1 - p2. The notes then average CE_bd over rows and dimensions; the caller does that
 * ({@link #perRow} gives sum_d CE_bd). Minimising it makes each latent's density high at its own sample and low
 * at the other latent's: the unimodal latent is pushed away from what the MMVAE latent encodes.
 *
 * <p>The gradient is the total derivative through the samples (eps fixed), as the notes' reparameterised
 * samples carry it. Everything is computed in double.
 */
public final class InfoNce {

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private InfoNce() {
    }

    /** dL/d(mu, logvar) of the MMVAE expert q and of the unimodal encoder u. */
    public record Grads(GaussianGrad q, GaussianGrad u) {
    }

    /** sum_d CE_bd per row {@code [B]}; {@code epsQ} and {@code epsU} are the {@code [B, D]} noise of the two samples. */
    public static double[] perRow(Gaussian q, Gaussian u, INDArray epsQ, INDArray epsU) {
        Inputs in = new Inputs(q, u, epsQ, epsU);
        double[] out = new double[in.rows];
        for (int b = 0; b < in.rows; b++) {
            for (int d = 0; d < in.dim; d++) {
                Point p = in.point(b, d);
                out[b] += 2 * logSumExp(p.density) - p.density[0] - p.density[1];
            }
        }
        return out;
    }

    /**
     * Backward of {@link #perRow}: given dL/d(sum_d CE_bd) per row {@code [B]}, dL/d(mu, logvar) of both
     * encoders, through the densities' parameters and through the samples z_q and z_u.
     */
    public static Grads backward(Gaussian q, Gaussian u, INDArray epsQ, INDArray epsU, double[] dRow) {
        Inputs in = new Inputs(q, u, epsQ, epsU);
        if (dRow.length != in.rows) {
            throw new IllegalArgumentException("InfoNCE upstream gradient: " + dRow.length + " rows, expected " + in.rows);
        }
        double[][] dMuQ = new double[in.rows][in.dim];
        double[][] dLvQ = new double[in.rows][in.dim];
        double[][] dMuU = new double[in.rows][in.dim];
        double[][] dLvU = new double[in.rows][in.dim];
        for (int b = 0; b < in.rows; b++) {
            for (int d = 0; d < in.dim; d++) {
                Point p = in.point(b, d);
                double lse = logSumExp(p.density);
                double[] g = new double[4];                        // dL/dp_c = dRow (2 softmax_c - target_c) ...
                for (int c = 0; c < 4; c++) {
                    g[c] = dRow[b] * (2 * Math.exp(p.density[c] - lse) - (c < 2 ? 1 : 0)) * p.density[c]; // ... * p_c = dL/dlog p_c
                }
                // log p1 = -e_q^2/2 - lv_q/2 - c;  log p2 = -e_u^2/2 - lv_u/2 - c
                dLvQ[b][d] += -0.5 * g[0];
                dLvU[b][d] += -0.5 * g[1];
                // log p3 = -r3^2/2 - lv_u/2 - c, r3 = (z_q - mu_u) / s_u
                dMuQ[b][d] += g[2] * -p.r3 / p.sU;
                dLvQ[b][d] += g[2] * -p.r3 * 0.5 * p.sQ * p.eQ / p.sU;
                dMuU[b][d] += g[2] * p.r3 / p.sU;
                dLvU[b][d] += g[2] * (0.5 * p.r3 * p.r3 - 0.5);
                // log p4 = -r4^2/2 - lv_q/2 - c, r4 = (z_u - mu_q) / s_q
                dMuU[b][d] += g[3] * -p.r4 / p.sQ;
                dLvU[b][d] += g[3] * -p.r4 * 0.5 * p.sU * p.eU / p.sQ;
                dMuQ[b][d] += g[3] * p.r4 / p.sQ;
                dLvQ[b][d] += g[3] * (0.5 * p.r4 * p.r4 - 0.5);
            }
        }
        DataType dtype = q.dtype();
        return new Grads(
                new GaussianGrad(Nd4j.createFromArray(dMuQ).castTo(dtype), Nd4j.createFromArray(dLvQ).castTo(dtype)),
                new GaussianGrad(Nd4j.createFromArray(dMuU).castTo(dtype), Nd4j.createFromArray(dLvU).castTo(dtype)));
    }

    private static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    /** One (row, dimension): the four densities and what their derivatives need. */
    private record Point(double[] density, double sQ, double sU, double eQ, double eU, double r3, double r4) {
    }

    /** Both encoders' parameters and noise as doubles, checked to be alike. */
    private static final class Inputs {
        final int rows;
        final int dim;
        final double[][] muQ;
        final double[][] lvQ;
        final double[][] muU;
        final double[][] lvU;
        final double[][] eQ;
        final double[][] eU;

        Inputs(Gaussian q, Gaussian u, INDArray epsQ, INDArray epsU) {
            rows = q.rows();
            dim = q.dim();
            for (INDArray a : new INDArray[] {u.mu(), epsQ, epsU}) {
                if (a.rank() != 2 || a.size(0) != rows || a.size(1) != dim) {
                    throw new IllegalArgumentException("InfoNCE: an input of shape " + java.util.Arrays.toString(a.shape())
                            + ", expected [" + rows + ", " + dim + "] like the MMVAE expert");
                }
            }
            muQ = doubles(q.mu());
            lvQ = doubles(q.logvar());
            muU = doubles(u.mu());
            lvU = doubles(u.logvar());
            eQ = doubles(epsQ);
            eU = doubles(epsU);
        }

        Point point(int b, int d) {
            double sQ = Math.exp(0.5 * lvQ[b][d]);
            double sU = Math.exp(0.5 * lvU[b][d]);
            double zQ = muQ[b][d] + sQ * eQ[b][d];
            double zU = muU[b][d] + sU * eU[b][d];
            double r3 = (zQ - muU[b][d]) / sU;
            double r4 = (zU - muQ[b][d]) / sQ;
            double[] p = {
                Math.exp(-0.5 * eQ[b][d] * eQ[b][d] - 0.5 * lvQ[b][d] - HALF_LOG_2PI),
                Math.exp(-0.5 * eU[b][d] * eU[b][d] - 0.5 * lvU[b][d] - HALF_LOG_2PI),
                Math.exp(-0.5 * r3 * r3 - 0.5 * lvU[b][d] - HALF_LOG_2PI),
                Math.exp(-0.5 * r4 * r4 - 0.5 * lvQ[b][d] - HALF_LOG_2PI)};
            return new Point(p, sQ, sU, eQ[b][d], eU[b][d], r3, r4);
        }

        private static double[][] doubles(INDArray a) {
            return a.castTo(DataType.DOUBLE).toDoubleMatrix();
        }
    }
}
