package chorus.models.meme;

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
 * MEME's objective (Joy et al. 2022, "Learning Multimodal VAEs through Mutual Supervision") for one batch.
 * Every expert s draws K+1 samples z_0..z_K ~ q_s(z | x_s). For a row observing s and t (every ordered pair),
 * modality t supervises s: with l_k = lambda_t log p_t(x_t | z_k), log q(t | s) = log mean_k exp(l_k) over the
 * K+1 samples, w = exp(l_0 - log q(t | s)) held constant (no gradient), and t's own expert as the prior of s:
 * <pre>
 *   L_st = w (lambda_s log p_s(x_s | z_0) - l_0 - beta KL(q_s(z | x_s) || q_t(z | x_t))) + c log q(t | s)
 * </pre>
 * A row observing only s trains s's ELBO against N(0, I): lambda_s log p_s(x_s | z_0) - beta KL(q_s || N(0, I))
 * (MEME's own unpaired term uses a prior of learned pseudo-inputs through t's encoder, which Chorus's objectives,
 * having no parameters of their own, do not hold). The loss is -(1/B) sum_b of every term of row b.
 * Logged (every step, 0 when no row has them): {@code meme[s>t]} per ordered pair and {@code elbo[s]} per
 * modality's unpaired rows; they add up to the loss.
 *
 * <p>Decoder n's request holds, source expert by source expert in modality order: for s = n, z_0 of every row
 * observing n (its own reconstruction); for s != n, the samples k = 0..K (sample-major) of every row observing
 * both s and n.
 */
final class MemeStage implements TermStage {

    private final List<Gaussian> experts;
    private final List<INDArray> eps;       // M x [(K+1)*B, D]
    private final boolean[][] observed;     // [B][M]
    private final int k1;                   // K + 1
    private final int b;
    private final double beta;
    private final double supervision;
    private final double[] lambdas;
    private final List<String> names;
    private final Map<Integer, int[][]> index = new LinkedHashMap<>(); // n -> rows of {source s, sample k, data row}
    private final List<DecodeRequest> requests;
    private final double[][] frozen;        // test hook: null, or a holder of the weights w to reuse (see MemeObjective)
    private double[] klPairGrad;            // [(s*M + t)*B + b] dL/dKL(q_s || q_t)
    private double[] klPriorGrad;           // [s*B + b] dL/dKL(q_s || N(0, I))

    MemeStage(List<Gaussian> experts, boolean[][] observed, List<INDArray> eps, double beta, double supervision,
              double[] lambdas, List<String> names, double[][] frozen) {
        this.frozen = frozen;
        this.experts = List.copyOf(experts);
        this.observed = observed;
        this.eps = List.copyOf(eps);
        this.b = experts.get(0).rows();
        this.k1 = (int) (eps.get(0).size(0) / b);
        this.beta = Weights.beta(beta);
        this.supervision = supervision;
        this.lambdas = Weights.lambdas(lambdas, experts.size()).clone();
        this.names = List.copyOf(names);
        int m = experts.size();
        List<INDArray> z = new ArrayList<>(m);
        for (int s = 0; s < m; s++) {
            z.add(experts.get(s).repeat(k1).sample(eps.get(s).castTo(experts.get(s).dtype()))); // [(K+1)*B, D]
        }
        List<DecodeRequest> out = new ArrayList<>();
        for (int n = 0; n < m; n++) {
            List<int[]> rows = new ArrayList<>();
            for (int s = 0; s < m; s++) {
                for (int k = 0; k < (s == n ? 1 : k1); k++) {
                    for (int row = 0; row < b; row++) {
                        if (observed[row][s] && observed[row][n]) {
                            rows.add(new int[] {s, k, row});
                        }
                    }
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            int[][] idx = rows.toArray(int[][]::new);
            int[] dataRows = new int[idx.length];
            for (int r = 0; r < idx.length; r++) {
                dataRows[r] = idx[r][2];
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
        int m = experts.size();
        double[][] own = new double[m][b];            // lambda_s log p_s(x_s | z_0 of s)
        double[][][] cross = new double[m * m][k1][b]; // lambda_t log p_t(x_t | z_k of s), at s*M + t
        for (DecodeRequest req : requests) {
            int n = req.modality();
            double[] v = req.logProbs(logProbs);
            int[][] idx = index.get(n);
            for (int r = 0; r < v.length; r++) {
                if (idx[r][0] == n) {
                    own[n][idx[r][2]] = lambdas[n] * v[r];
                } else {
                    cross[idx[r][0] * m + n][idx[r][1]][idx[r][2]] = lambdas[n] * v[r];
                }
            }
        }
        double[][] dOwn = new double[m][b];
        double[][][] dCross = new double[m * m][k1][b];
        klPairGrad = new double[m * m * b];
        double[] weights = frozen != null && frozen[0] != null ? frozen[0] : new double[m * m * b];
        klPriorGrad = new double[m * b];
        Map<String, Double> terms = new LinkedHashMap<>();
        double loss = 0;
        for (int s = 0; s < m; s++) {
            double[] klPrior = Rows.doubles(Divergence.klStandardNormal(experts.get(s)));
            for (int t = 0; t < m; t++) {
                if (t == s) {
                    continue;
                }
                double[] kl = Rows.doubles(Divergence.klGaussian(experts.get(s), experts.get(t)));
                double term = 0;
                for (int row = 0; row < b; row++) {
                    if (!observed[row][s] || !observed[row][t]) {
                        continue;
                    }
                    double[] l = new double[k1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < k1; k++) {
                        l[k] = cross[s * m + t][k][row];
                        max = Math.max(max, l[k]);
                    }
                    double total = 0;
                    for (int k = 0; k < k1; k++) {
                        total += Math.exp(l[k] - max);
                    }
                    double logQ = max + Math.log(total) - Math.log(k1);          // log q(t | s)
                    double w = frozen != null && frozen[0] != null ? weights[(s * m + t) * b + row] : Math.exp(l[0] - logQ);
                    weights[(s * m + t) * b + row] = w;
                    double value = w * (own[s][row] - l[0] - beta * kl[row]) + supervision * logQ;
                    term -= value / b;
                    dOwn[s][row] -= w / b;
                    dCross[s * m + t][0][row] += w / b;
                    for (int k = 0; k < k1; k++) {
                        double rho = Math.exp(l[k] - max) / total;            // d log q(t|s) / d l_k
                        dCross[s * m + t][k][row] -= supervision * rho / b;
                    }
                    klPairGrad[(s * m + t) * b + row] = w * beta / b;
                }
                terms.put("meme[" + names.get(s) + ">" + names.get(t) + "]", term);
                loss += term;
            }
            double unpaired = 0;
            for (int row = 0; row < b; row++) {
                if (observed[row][s] && observedCount(row) == 1) {
                    unpaired -= (own[s][row] - beta * klPrior[row]) / b;
                    dOwn[s][row] -= 1.0 / b;
                    klPriorGrad[s * b + row] = beta / b;
                }
            }
            terms.put("elbo[" + names.get(s) + "]", unpaired);
            loss += unpaired;
        }
        if (frozen != null) {
            frozen[0] = weights;
        }
        Map<Integer, INDArray> coefficients = new LinkedHashMap<>();
        for (DecodeRequest req : requests) {
            int n = req.modality();
            int[][] idx = index.get(n);
            double[] c = new double[idx.length];
            for (int r = 0; r < idx.length; r++) {
                double d = idx[r][0] == n ? dOwn[n][idx[r][2]] : dCross[idx[r][0] * m + n][idx[r][1]][idx[r][2]];
                c[r] = lambdas[n] * d;                                          // dL/dlog p_n
            }
            coefficients.put(n, Nd4j.createFromArray(c).castTo(req.z().dataType())); // [R]
        }
        List<TermValue> logged = new ArrayList<>();
        terms.forEach((name, value) -> logged.add(new TermValue(name, value)));
        return new Scored(loss, logged, coefficients);
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        if (klPairGrad == null) {
            throw new IllegalStateException("backward before score: the coefficients of this step are not known yet");
        }
        int m = experts.size();
        DataType dtype = experts.get(0).dtype();
        List<INDArray> dZ = new ArrayList<>(m);
        for (int s = 0; s < m; s++) {
            dZ.add(Nd4j.zeros(dtype, (long) k1 * b, experts.get(s).dim()));         // [(K+1)*B, D]
        }
        for (DecodeRequest req : requests) {
            INDArray g = dz.get(req.modality());
            if (g == null || g.size(0) != req.rows()) {
                throw new IllegalArgumentException("dL/dz of modality " + req.modality() + ": "
                        + (g == null ? "missing" : java.util.Arrays.toString(g.shape())) + ", expected " + req.rows() + " rows");
            }
            sources(index.get(req.modality())).scatterAdd(dZ, g);
        }
        List<GaussianGrad> out = new ArrayList<>(m);
        for (int s = 0; s < m; s++) {
            Gaussian q = experts.get(s);
            GaussianGrad g = q.repeat(k1).sampleBackward(eps.get(s).castTo(dtype), dZ.get(s)).sumBlocks(k1);
            double[] prior = new double[b];
            System.arraycopy(klPriorGrad, s * b, prior, 0, b);
            out.add(g.plus(Divergence.klStandardNormalBackward(q, Nd4j.createFromArray(prior).castTo(dtype))));
        }
        for (int s = 0; s < m; s++) {
            for (int t = 0; t < m; t++) {
                if (s == t) {
                    continue;
                }
                double[] g = new double[b];
                System.arraycopy(klPairGrad, (s * m + t) * b, g, 0, b);
                Divergence.PairGrad both = Divergence.klGaussianBackward(experts.get(s), experts.get(t),
                        Nd4j.createFromArray(g).castTo(dtype));
                out.set(s, out.get(s).plus(both.q()));
                out.set(t, out.get(t).plus(both.p()));
            }
        }
        return out;
    }

    /** The stacked sample rows k*B + b of source {@code s} in a request's index, in request order. */
    private SourceRows sources(int[][] idx) {
        return new SourceRows(java.util.Arrays.stream(idx).mapToInt(e -> e[0]).toArray(),
                java.util.Arrays.stream(idx).mapToInt(e -> e[1] * b + e[2]).toArray());
    }

    private int observedCount(int row) {
        int c = 0;
        for (boolean o : observed[row]) {
            c += o ? 1 : 0;
        }
        return c;
    }

}
