package chorus.models.fummvae;

import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.Scored;
import chorus.models.objective.SourceRows;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.objective.Weights;
import chorus.models.posterior.Divergence;
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
 * The factorised MMVAE's objective ({@code m_infoNCE_naive} of the seed notes) for one batch. Experts 0..M-1 are
 * the MMVAE's q_m, experts M..2M-1 the unimodal VAEs' u_m; each draws one sample z_j = mu_j + s_j eps_j. For a row
 * b observing the modalities O_b (c_b of them):
 * <pre>
 *   MMVAE_b = (1/c_b) sum_{r in O_b} [ sum_{d in O_b} lambda_d log p_d(x_d | z_r) - beta KL(q_r || N(0, I)) ]   (m_elbo_naive)
 *   VAE_mb  = log p^u_m(x_m | z_{M+m}) - beta KL(u_m || N(0, I))                                     (each m in O_b)
 *   CE_m    = mean over the N_m rows observing m and the D dimensions of InfoNCE's CE_bd(q_m, u_m)
 *   loss    = -(1/B) [ sum_b (MMVAE_b + sum_{m in O_b} VAE_mb) - alpha sum_m CE_m ]
 * </pre>
 * which is the notes' objective (ELBOs summed over the batch, the InfoNCE cross-entropies averaged over rows and
 * dimensions) divided by the batch size, Chorus's per-row convention: InfoNCE weighs alpha/B against one row's
 * ELBO, as in the notes. The notes pair every row (c_b = M); a row missing a modality here scores what it observes.
 * Logged, adding up to the loss: {@code mmvae}, {@code vae[<m>]} and {@code infonce[<m>]} per modality.
 *
 * <p>Decoder n &lt; M (the MMVAE's) gets, source by source r in modality order, z_r of every row observing r and n;
 * decoder M + n (the unimodal VAE's) gets z_{M+n} of every row observing n.
 */
final class FuStage implements TermStage {

    private final List<Gaussian> experts;
    private final List<INDArray> eps;       // 2M x [B, D]
    private final boolean[][] observed;     // [B][M]
    private final int m;
    private final int b;
    private final double beta;
    private final double[] lambdas;
    private final double alpha;
    private final List<String> names;
    private final Map<Integer, int[][]> index = new LinkedHashMap<>(); // decoder -> rows of {source expert, data row}
    private final List<DecodeRequest> requests;
    private double[][] klGrad;              // [2M][B] dL/dKL(expert || N(0, I))
    private double[][] nceGrad;             // [M][B] dL/d(sum_d CE_bd) of modality m

    FuStage(List<Gaussian> experts, boolean[][] observed, List<INDArray> eps, double beta, double[] lambdas, double alpha,
            List<String> names) {
        this.experts = List.copyOf(experts);
        this.eps = List.copyOf(eps);
        this.observed = observed;
        this.m = lambdas.length;
        this.b = experts.get(0).rows();
        this.beta = Weights.beta(beta);
        this.lambdas = lambdas.clone();
        this.alpha = alpha;
        this.names = List.copyOf(names);
        List<INDArray> z = new ArrayList<>(2 * m);
        for (int j = 0; j < 2 * m; j++) {
            z.add(experts.get(j).sample(eps.get(j).castTo(experts.get(j).dtype())));   // [B, D]
        }
        List<DecodeRequest> out = new ArrayList<>();
        for (int n = 0; n < 2 * m; n++) {
            List<int[]> rows = new ArrayList<>();
            for (int r : n < m ? java.util.stream.IntStream.range(0, m).toArray() : new int[] {n}) {
                for (int row = 0; row < b; row++) {
                    if (observed[row][r % m] && observed[row][n % m]) {
                        rows.add(new int[] {r, row});
                    }
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            int[][] idx = rows.toArray(int[][]::new);
            int[] dataRows = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                dataRows[i] = idx[i][1];
            }
            index.put(n, idx);
            out.add(new DecodeRequest(n, sources(idx).stack(z), dataRows, null)); // z [R, D]
        }
        this.requests = List.copyOf(out);
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        double mmvae = 0;
        double[] vae = new double[m];
        double[] nce = new double[m];
        Map<Integer, INDArray> coefficients = new LinkedHashMap<>();
        for (DecodeRequest req : requests) {
            int n = req.modality();
            double[] v = req.logProbs(logProbs);
            int[][] idx = index.get(n);
            double[] c = new double[idx.length];
            for (int i = 0; i < idx.length; i++) {
                int row = idx[i][1];
                if (n < m) {
                    double w = lambdas[n] / (observedCount(row) * (double) b);
                    mmvae -= w * v[i];
                    c[i] = -w;                                                       // dL/dlog p_n
                } else {
                    vae[n - m] -= v[i] / b;
                    c[i] = -1.0 / b;
                }
            }
            coefficients.put(n, Nd4j.createFromArray(c).castTo(req.z().dataType())); // [R]
        }
        klGrad = new double[2 * m][b];
        nceGrad = new double[m][b];
        for (int j = 0; j < 2 * m; j++) {
            double[] kl = Rows.doubles(Divergence.klStandardNormal(experts.get(j)));
            for (int row = 0; row < b; row++) {
                if (!observed[row][j % m]) {
                    continue;
                }
                double w = beta / (j < m ? observedCount(row) * (double) b : b);
                klGrad[j][row] = w;
                if (j < m) {
                    mmvae += w * kl[row];
                } else {
                    vae[j - m] += w * kl[row];
                }
            }
        }
        for (int j = 0; j < m; j++) {
            int rows = 0;
            for (int row = 0; row < b; row++) {
                rows += observed[row][j] ? 1 : 0;
            }
            if (rows == 0) {
                continue;
            }
            double[] ce = InfoNce.perRow(experts.get(j), experts.get(m + j), eps.get(j), eps.get(m + j));
            double w = alpha / ((double) b * rows * experts.get(j).dim());
            for (int row = 0; row < b; row++) {
                if (observed[row][j]) {
                    nce[j] += w * ce[row];
                    nceGrad[j][row] = w;
                }
            }
        }
        List<TermValue> terms = new ArrayList<>();
        terms.add(new TermValue("mmvae", mmvae));
        double loss = mmvae;
        for (int j = 0; j < m; j++) {
            terms.add(new TermValue("vae[" + names.get(j) + "]", vae[j]));
            loss += vae[j];
        }
        for (int j = 0; j < m; j++) {
            terms.add(new TermValue("infonce[" + names.get(j) + "]", nce[j]));
            loss += nce[j];
        }
        return new Scored(loss, terms, coefficients);
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        if (klGrad == null) {
            throw new IllegalStateException("backward before score: the coefficients of this step are not known yet");
        }
        DataType dtype = experts.get(0).dtype();
        List<INDArray> dZ = new ArrayList<>(2 * m);
        for (int j = 0; j < 2 * m; j++) {
            dZ.add(Nd4j.zeros(dtype, b, experts.get(j).dim()));                          // [B, D]
        }
        for (DecodeRequest req : requests) {
            INDArray g = dz.get(req.modality());
            if (g == null || g.size(0) != req.rows()) {
                throw new IllegalArgumentException("dL/dz of modality " + req.modality() + ": "
                        + (g == null ? "missing" : java.util.Arrays.toString(g.shape())) + ", expected " + req.rows() + " rows");
            }
            sources(index.get(req.modality())).scatterAdd(dZ, g);
        }
        List<GaussianGrad> out = new ArrayList<>(2 * m);
        for (int j = 0; j < 2 * m; j++) {
            Gaussian q = experts.get(j);
            GaussianGrad g = q.sampleBackward(eps.get(j).castTo(dtype), dZ.get(j));
            out.add(g.plus(Divergence.klStandardNormalBackward(q, Nd4j.createFromArray(klGrad[j]).castTo(dtype))));
        }
        for (int j = 0; j < m; j++) {
            InfoNce.Grads g = InfoNce.backward(experts.get(j), experts.get(m + j), eps.get(j), eps.get(m + j), nceGrad[j]);
            out.set(j, out.get(j).plus(g.q()));
            out.set(m + j, out.get(m + j).plus(g.u()));
        }
        return out;
    }

    /** Where a request's rows come from: source expert {@code idx[i][0]}, its data row {@code idx[i][1]}. */
    private static SourceRows sources(int[][] idx) {
        return new SourceRows(java.util.Arrays.stream(idx).mapToInt(e -> e[0]).toArray(),
                java.util.Arrays.stream(idx).mapToInt(e -> e[1]).toArray());
    }

    private int observedCount(int row) {
        int c = 0;
        for (boolean o : observed[row]) {
            c += o ? 1 : 0;
        }
        return c;
    }
}
