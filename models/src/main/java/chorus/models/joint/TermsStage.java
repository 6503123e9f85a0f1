package chorus.models.joint;

import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.Scored;
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
 * ELBO terms whose posteriors are single experts ({@link Term}), as the joint-encoder models use them
 * (JMVAE's joint ELBO, MuMo-VAE's three VAE losses, TELBO's triple ELBO):
 * <pre>
 *   L = (1/B) sum_t sum_{b observing e_t} [ - sum_{m in targets_t, observed_b} lambda_m log p_m(x_bm | z_tb[cols_tm])
 *                                            + beta KL(q_{e_t}(z | x_b) || N(0, I)) ]
 * </pre>
 * with z_tb = mu + sigma eps_tb from expert e_t's Gaussian. A row observes the joint expert only where it
 * observes every modality the joint encoder reads, so the joint term is defined on complete rows only.
 * Every decoder gets one request holding the rows of every term that targets it (term order, then row);
 * the rows of a term with held decoders ({@link Term#held()}) are flagged so that they add nothing to the
 * decoder's parameter gradient.
 */
public final class TermsStage implements TermStage {

    /** The rows of one (term, target) pair inside its decoder's request. */
    private record Segment(int term, int modality, int[] rows, int offset, INDArray select) {
    }

    private final List<Term> terms;
    private final List<Gaussian> experts;
    private final List<INDArray> eps;      // per term [B, D_e]; null for a term without rows
    private final List<INDArray> weights;  // per term [B]: 1 where the row observes the term's expert
    private final List<INDArray> kl;       // per term [B]
    private final List<Segment> segments;
    private final List<DecodeRequest> requests;
    private final double beta;
    private final int batch;

    private TermsStage(List<Term> terms, List<Gaussian> experts, List<INDArray> eps, List<INDArray> weights,
                       List<INDArray> kl, List<Segment> segments, List<DecodeRequest> requests, double beta, int batch) {
        this.terms = terms;
        this.experts = experts;
        this.eps = eps;
        this.weights = weights;
        this.kl = kl;
        this.segments = segments;
        this.requests = requests;
        this.beta = beta;
        this.batch = batch;
    }

    /**
     * Samples every term's z and plans the decoder requests.
     *
     * @param experts  one expert per model modality {@code [B, D_e]} (an expert no row observes is never read)
     * @param presence {@code [B, M]} 0/1 over the model's modalities
     * @param terms    the terms, in logging order
     * @param eps      per term {@code [B, D_e]} standard-normal noise
     * @param beta     the KL weight (annealed)
     * @param lambdas  per-modality likelihood weights, length M
     */
    public static TermsStage forward(List<Gaussian> experts, INDArray presence, List<Term> terms, List<INDArray> eps,
                                     double beta, double[] lambdas) {
        int m = experts.size();
        Weights.lambdas(lambdas, m);
        Weights.beta(beta);
        int b = (int) presence.size(0);
        double[] present = Rows.doubles(presence);                                   // [B*M]
        List<INDArray> noise = new ArrayList<>();
        List<INDArray> w = new ArrayList<>();
        List<INDArray> kls = new ArrayList<>();
        List<INDArray> z = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) {
            Term term = terms.get(t);
            Gaussian q = experts.get(term.expert());
            int[] rows = observing(present, m, b, term.expert(), -1);
            if (rows.length == 0) {
                noise.add(null);
                w.add(null);
                kls.add(null);
                z.add(null);
                continue;
            }
            INDArray e = eps.get(t).castTo(q.dtype());
            noise.add(e);
            w.add(presence.getColumn(term.expert()).castTo(q.dtype()).dup());         // [B]
            kls.add(Divergence.klStandardNormal(q));                                  // [B]
            z.add(q.sample(e));                                                       // [B, D_e]
        }
        List<Segment> segments = new ArrayList<>();
        List<DecodeRequest> requests = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            List<INDArray> zRows = new ArrayList<>();
            List<Integer> dataRows = new ArrayList<>();
            for (int t = 0; t < terms.size(); t++) {
                Term term = terms.get(t);
                for (int k = 0; k < term.targets().length; k++) {
                    if (term.targets()[k] != j || z.get(t) == null) {
                        continue;
                    }
                    int[] rows = observing(present, m, b, term.expert(), j);
                    if (rows.length == 0) {
                        continue;
                    }
                    INDArray select = selection(term.columns()[k], experts.get(term.expert()).dim(), z.get(t).dataType()); // [D_e, D_j]
                    segments.add(new Segment(t, j, rows, dataRows.size(), select));
                    zRows.add(Rows.gather(z.get(t), rows).mmul(select));             // [R_t, D_j]
                    for (int r : rows) {
                        dataRows.add(r);
                    }
                }
            }
            if (dataRows.isEmpty()) {
                continue;
            }
            DataType dtype = zRows.get(0).dataType();
            INDArray coeff = Nd4j.valueArrayOf(new long[] {dataRows.size()}, -lambdas[j] / b, dtype); // [R]
            INDArray held = heldFlags(terms, segments, j, dataRows.size(), dtype);             // [R] or null
            requests.add(new DecodeRequest(j, Nd4j.concat(0, zRows.toArray(INDArray[]::new)),
                    dataRows.stream().mapToInt(Integer::intValue).toArray(), coeff, held));
        }
        return new TermsStage(List.copyOf(terms), List.copyOf(experts), noise, w, kls, List.copyOf(segments),
                List.copyOf(requests), beta, b);
    }

    /** 1 on the request rows of terms whose decoders are held; null when no term of the request holds them. */
    private static INDArray heldFlags(List<Term> terms, List<Segment> segments, int modality, int rows, DataType dtype) {
        double[] flags = new double[rows];
        boolean any = false;
        for (Segment s : segments) {
            if (s.modality() == modality && terms.get(s.term()).held()) {
                java.util.Arrays.fill(flags, s.offset(), s.offset() + s.rows().length, 1.0);
                any = true;
            }
        }
        return any ? Nd4j.createFromArray(flags).castTo(dtype) : null;
    }

    /** The rows observing {@code expert} (and {@code target}, unless it is -1). */
    static int[] observing(double[] present, int m, int b, int expert, int target) {
        return java.util.stream.IntStream.range(0, b)
                .filter(r -> present[r * m + expert] > 0.5 && (target < 0 || present[r * m + target] > 0.5)).toArray();
    }

    /** The 0/1 matrix {@code [dim, cols.length]} whose product picks columns {@code cols} of a {@code [R, dim]} matrix. */
    private static INDArray selection(int[] cols, int dim, DataType dtype) {
        INDArray s = Nd4j.zeros(dtype, dim, cols.length);
        for (int i = 0; i < cols.length; i++) {
            if (cols[i] < 0 || cols[i] >= dim) {
                throw new IllegalArgumentException("term column " + cols[i] + ": expected a column of the expert's "
                        + dim + " latent dimensions");
            }
            s.putScalar(cols[i], i, 1.0);
        }
        return s;
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        double[] nll = new double[terms.size()];
        Map<Integer, INDArray> coefficients = new LinkedHashMap<>();
        for (DecodeRequest req : requests) {
            double[] v = req.logProbs(logProbs);
            double[] c = Rows.doubles(req.coefficients());
            for (Segment s : segments) {
                if (s.modality() == req.modality()) {
                    for (int r = s.offset(); r < s.offset() + s.rows().length; r++) {
                        nll[s.term()] += c[r] * v[r];                                 // c = -lambda / B
                    }
                }
            }
            coefficients.put(req.modality(), req.coefficients());
        }
        List<TermValue> values = new ArrayList<>();
        double loss = 0;
        for (int t = 0; t < terms.size(); t++) {
            double k = kl.get(t) == null ? 0 : kl.get(t).mul(weights.get(t)).sumNumber().doubleValue() / batch;
            values.add(new TermValue("nll[" + terms.get(t).name() + "]", nll[t]));
            values.add(new TermValue("kl[" + terms.get(t).name() + "]", k));
            loss += nll[t] + beta * k;
        }
        return new Scored(loss, values, coefficients);
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        List<GaussianGrad> grads = new ArrayList<>();
        experts.forEach(q -> grads.add(GaussianGrad.zeros(q)));
        for (int t = 0; t < terms.size(); t++) {
            if (eps.get(t) == null) {
                continue;
            }
            int e = terms.get(t).expert();
            Gaussian q = experts.get(e);
            INDArray dZ = Nd4j.zeros(q.dtype(), q.rows(), q.dim());                   // [B, D_e]
            for (Segment s : segments) {
                if (s.term() != t) {
                    continue;
                }
                INDArray g = dz.get(s.modality());
                if (g == null) {
                    throw new IllegalArgumentException("dL/dz of modality " + s.modality() + " is missing");
                }
                INDArray rows = Rows.gather(g, java.util.stream.IntStream.range(s.offset(), s.offset() + s.rows().length)
                        .toArray());                                                   // [R_t, D_j]
                Rows.scatterAdd(dZ, s.rows(), rows.castTo(q.dtype()).mmul(s.select().transpose())); // [R_t, D_e]
            }
            GaussianGrad sampled = q.sampleBackward(eps.get(t), dZ);
            GaussianGrad fromKl = Divergence.klStandardNormalBackward(q, weights.get(t).mul(beta / batch));
            grads.set(e, grads.get(e).plus(sampled).plus(fromKl));
        }
        return grads;
    }

    /** The batch size B that every term divides by. */
    int batch() {
        return batch;
    }
}
