package chorus.models.mmvaeplus;

import chorus.models.mmvae.CrossRows;
import chorus.models.mmvae.MixtureEstimator;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.objective.Weights;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MMVAE+'s objective for one batch (Palumbo et al. 2023, eq. 5 and its DReG form). For expert m, data row b
 * and each of its K samples u_k = (z_k, w_m,k) ~ q_m(z, w_m | x_m), every modality n the row observes is
 * decoded from (z_k, w_n): w_m,k itself for n = m, and a draw from the auxiliary prior r_n(w_n) =
 * Laplace(0, {@code auxScale}) for n != m (cross-modal reconstruction; the draw enters no density). Then
 * <pre>
 *   log w_k = sum_n lambda_n log p_n(x_n | z_k, w_n) + beta (log p(u_k) - log q_mix(z_k | X_b) - log q_m(w_m,k | x_m))
 *   L = -(1/B) sum_b (1/|O_b|) sum_{m in O_b} estimator_k(log w_k)
 * </pre>
 * with IWAE or DReG (the paper's choice, its beta inside the weights) or the stratified ELBO
 * ({@link MixtureEstimator}; DReG stops the densities' dependence on the experts and scales the encoder path
 * by the normalised weights, as in MMVAE). With Dw = 0 this is MMVAE with Laplace posterior and prior.
 *
 * <p>Logged terms add up to the loss: {@code iwae[m]} (IWAE, DREG) or {@code nll[m]} + beta {@code kl[m]}
 * (ELBO), each expert m's share. Decoder requests are planned as MMVAE's: rows (m, k, b) in that order for
 * every target n that b observes together with m.
 */
final class PlusStage implements TermStage {

    private final PlusLatents latents;
    private final double[][] aux;      // [M*M] x [K*B*Dw] auxiliary-prior draws for (m, n != m), else null
    private final double auxScale;
    private final MixtureEstimator estimator;
    private final double beta;
    private final double[] lambdas;
    private final List<String> names;
    private final DataType dtype;
    private final double[] rowWeight;  // [B] 1/(B |O_b|)
    private final Map<Integer, int[]> planIndex;
    private final List<DecodeRequest> requests;
    private double[] dLik;             // [N] dL/dl on the decoder path
    private double[] gLogW;            // [N] dL/d(log p - log q) on the encoder path
    private double[] zScale;           // [N] factor on the decoders' dz for the encoder path

    PlusStage(PlusLatents latents, double[][] aux, double auxScale, MixtureEstimator estimator, double beta,
              double[] lambdas, List<String> names, DataType dtype) {
        this.latents = latents;
        this.aux = aux;
        this.auxScale = auxScale;
        this.estimator = estimator;
        this.beta = Weights.beta(beta);
        this.lambdas = Weights.lambdas(lambdas, latents.m).clone();
        this.names = List.copyOf(names);
        this.dtype = dtype;
        int b = latents.b;
        this.rowWeight = new double[b];
        for (int row = 0; row < b; row++) {
            int count = 0;
            for (int j = 0; j < latents.m; j++) {
                count += latents.observed[row][j] ? 1 : 0;
            }
            rowWeight[row] = count == 0 ? 0.0 : 1.0 / ((double) b * count);
        }
        this.planIndex = CrossRows.plan(latents.m, latents.k, latents.b, (row, j) -> latents.observed[row][j]);
        List<DecodeRequest> out = new ArrayList<>();
        planIndex.forEach((n, idx) -> out.add(new DecodeRequest(n, decoderInput(n, idx), dataRows(idx), null)));
        this.requests = List.copyOf(out);
    }

    /** The experts' (loc, log scale) as doubles, one array [B*D] per expert. */
    static double[][] columns(List<Gaussian> experts, boolean scale) {
        double[][] out = new double[experts.size()][];
        for (int j = 0; j < out.length; j++) {
            INDArray a = scale ? experts.get(j).logvar() : experts.get(j).mu();
            out[j] = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
        return out;
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        int rows = latents.m * latents.k * latents.b;
        double[] lik = new double[rows];
        for (DecodeRequest req : requests) {
            double[] v = req.logProbs(logProbs);
            int[] idx = planIndex.get(req.modality());
            for (int r = 0; r < v.length; r++) {
                lik[idx[r]] += lambdas[req.modality()] * v[r];
            }
        }
        boolean elbo = estimator == MixtureEstimator.ELBO;
        double factor = elbo ? 1.0 : beta; // IWAE/DReG: beta inside the weights, so dL/d(log p - log q) carries it
        int m = latents.m;
        int b = latents.b;
        int k = latents.k;
        dLik = new double[rows];
        gLogW = new double[rows];
        zScale = new double[rows];
        double[] bound = new double[m];
        double[] nll = new double[m];
        double[] kl = new double[m];
        for (int j = 0; j < m; j++) {
            for (int row = 0; row < b; row++) {
                if (!latents.observed[row][j]) {
                    continue;
                }
                double[] l = new double[k];
                double[] p = new double[k];
                double[] q = new double[k];
                int[] g = new int[k];
                for (int s = 0; s < k; s++) {
                    g[s] = (j * k + s) * b + row;
                    l[s] = lik[g[s]];
                    p[s] = factor * (latents.logPrior[g[s]] - latents.logQw[g[s]]);
                    q[s] = factor * latents.logQmix[g[s]];
                }
                MixtureEstimator.Group group = estimator.score(l, p, q, elbo ? beta : 1.0);
                double a = rowWeight[row];
                bound[j] -= a * group.bound();
                nll[j] += a * group.nll();
                kl[j] += a * group.kl();
                for (int s = 0; s < k; s++) {
                    dLik[g[s]] = -a * group.dLik()[s];
                    gLogW[g[s]] = -a * group.dPrior()[s] * factor;
                    zScale[g[s]] = group.zScale()[s];
                }
            }
        }
        List<TermValue> terms = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            if (elbo) {
                terms.add(new TermValue("nll[" + names.get(j) + "]", nll[j]));
                terms.add(new TermValue("kl[" + names.get(j) + "]", kl[j]));
            } else {
                terms.add(new TermValue("iwae[" + names.get(j) + "]", bound[j]));
            }
        }
        Map<Integer, INDArray> coefficients = new LinkedHashMap<>();
        planIndex.forEach((n, idx) -> {
            double[] c = new double[idx.length];
            for (int r = 0; r < idx.length; r++) {
                c[r] = lambdas[n] * dLik[idx[r]];
            }
            coefficients.put(n, Nd4j.createFromArray(c).castTo(dtype)); // [R]
        });
        return new Scored(java.util.Arrays.stream(bound).sum(), terms, coefficients);
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        if (gLogW == null) {
            throw new IllegalStateException("backward before score: the coefficients of this step are not known yet");
        }
        int d = latents.d;
        int kb = latents.k * latents.b;
        double[] dU = new double[latents.u.length];
        for (DecodeRequest req : requests) {
            INDArray g = dz.get(req.modality());
            if (g == null || g.size(0) != req.rows() || g.size(1) != d) {
                throw new IllegalArgumentException("dL/dz of modality " + req.modality() + ": "
                        + (g == null ? "missing" : java.util.Arrays.toString(g.shape())) + ", expected [" + req.rows() + ", " + d + "]");
            }
            double[] v = g.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            int n = req.modality();
            int[] idx = planIndex.get(n);
            for (int r = 0; r < idx.length; r++) {
                int row = idx[r];
                // the w columns of a cross-modal row came from the auxiliary prior (fixed scale): no gradient
                int upTo = row / kb == n ? d : latents.dz;
                for (int c = 0; c < upTo; c++) {
                    dU[row * d + c] += v[r * d + c] * zScale[row];
                }
            }
        }
        PlusLatents.Grad grad = latents.backward(dU, gLogW, estimator.detachExperts());
        List<GaussianGrad> out = new ArrayList<>(latents.m);
        for (int j = 0; j < latents.m; j++) {
            out.add(new GaussianGrad(matrix(grad.dLoc()[j]), matrix(grad.dScale()[j])));
        }
        return out;
    }

    /** (z, w_n) per planned row {@code [R, D]}: the sample's own w for n = m, else the auxiliary draw. */
    private INDArray decoderInput(int n, int[] idx) {
        int d = latents.d;
        int dz = latents.dz;
        int dw = d - dz;
        int kb = latents.k * latents.b;
        double[] out = new double[idx.length * d];
        for (int r = 0; r < idx.length; r++) {
            int row = idx[r];
            int j = row / kb;
            System.arraycopy(latents.u, row * d, out, r * d, j == n ? d : dz);
            if (j != n) {
                int e = (row % kb) * dw; // sample k, data row b of the (m, n) draw
                for (int c = 0; c < dw; c++) {
                    out[r * d + dz + c] = auxScale * aux[j * latents.m + n][e + c];
                }
            }
        }
        return Nd4j.create(out, new long[] {idx.length, d}, DataType.DOUBLE).castTo(dtype); // [R, D]
    }

    private int[] dataRows(int[] idx) {
        int[] out = new int[idx.length];
        for (int r = 0; r < idx.length; r++) {
            out[r] = idx[r] % latents.b;
        }
        return out;
    }

    private INDArray matrix(double[] values) {
        return Nd4j.create(values, new long[] {latents.b, latents.d}, DataType.DOUBLE).castTo(dtype); // [B, D]
    }
}
