package chorus.models.mfm;

import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One step of MFM (Tsai et al. 2019, eq. 3, with deterministic encoders as in Wasserstein autoencoders): the factors
 * are the encoders' means, F_y = mu_joint(X) {@code [B, Ds]} of the multimodal encoder (on the rows that observe every
 * modality it reads, the "complete" rows) and F_a(i) = the last Dp columns of mu_i(x_i) for every generative modality;
 * the logvar outputs are not used (their gradient is 0). With modalities 0..M-1 and the joint one M:
 * <pre>
 *   L = (1/B) sum_{b complete} [ - sum_{i generative} lambda_i log p_i(x_bi | F_y,b, F_a(i),b)      (generative terms)
 *                                - lambda_y log p_y(y_b | F_y,b, eps_b) ]                            (discriminative head)
 *     + mmd-weight [ MMD^2({F_y,b}_complete, prior) + sum_i MMD^2({F_a(i),b}_b observes i, prior) ] (Mmd, per factor)
 *     + surrogate-weight (1/B) sum_m sum_{b complete, observes m} |mu_m(x_bm)[0:Ds] - sg(F_y,b)|^2  (surrogate inference)
 * </pre>
 * The label's decoder reads (F_y, eps) with eps ~ N(0, I) of the label's private columns: the head depends on F_y
 * alone, and at generation the label's private columns may hold the prior's draws as in every private + shared model.
 * The surrogate terms train each modality's encoder's shared columns as q(F_y | x_m) for inference when modalities are
 * missing (the paper's surrogate inference, here one per single modality, with F_y held constant). Logged:
 * {@code nll[m]}, {@code mmd[joint]}, {@code mmd[m]} (generative m), {@code surrogate[m]}; loss = sum nll +
 * mmd-weight sum mmd + surrogate-weight sum surrogate. Beta is not used (MFM has no KL term).
 */
public final class MfmStage implements TermStage {

    /** One MMD term: the codes' rows in an expert, its columns from {@code from}, and the estimate. */
    private record MmdTerm(String name, int expert, int from, int[] rows, Mmd.Result result) {
    }

    /** One surrogate term: modality {@code expert}'s shared columns on {@code rows}, minus F_y there. */
    private record Surrogate(String name, int expert, int[] rows, INDArray diff, double value) {
    }

    private final List<Gaussian> experts;
    private final List<String> names;
    private final int label;
    private final int ds;
    private final int batch;
    private final MfmSettings settings;
    private final List<DecodeRequest> requests;
    private final List<MmdTerm> mmd;
    private final List<Surrogate> surrogates;

    private MfmStage(List<Gaussian> experts, List<String> names, int label, int ds, int batch, MfmSettings settings,
                     List<DecodeRequest> requests, List<MmdTerm> mmd, List<Surrogate> surrogates) {
        this.experts = experts;
        this.names = names;
        this.label = label;
        this.ds = ds;
        this.batch = batch;
        this.settings = settings;
        this.requests = requests;
        this.mmd = mmd;
        this.surrogates = surrogates;
    }

    /**
     * Plans the step.
     *
     * @param experts  the M unimodal experts {@code [B, Ds + Dp]}, then the multimodal encoder's {@code [B, Ds]}
     * @param presence {@code [B, M + 1]} 0/1 (the last column: the row observes every modality the joint encoder reads)
     * @param names    the M modality names
     * @param shared   Ds, the size of F_y (an expert no row observes may be of any size, so it is given)
     * @param label    the label's index, or -1
     * @param lambdas  the M likelihood weights
     * @param noise    the head's eps {@code [B, Dp]}, F_y's prior samples {@code [B, Ds]}, then each modality's prior
     *                 samples {@code [B, Dp]}
     */
    public static MfmStage forward(List<Gaussian> experts, INDArray presence, List<String> names, int shared, int label,
                                   double[] lambdas, MfmSettings settings, List<INDArray> noise) {
        int m = names.size();
        if (experts.size() != m + 1 || lambdas.length != m || noise.size() != m + 2) {
            throw new IllegalArgumentException("MFM step: " + experts.size() + " experts, " + lambdas.length + " weights and "
                    + noise.size() + " noise matrices for " + m + " modalities, expected " + (m + 1) + ", " + m + " and " + (m + 2));
        }
        Gaussian joint = experts.get(m);
        int ds = shared;
        int b = (int) presence.size(0);
        DataType dtype = joint.dtype();
        double[] p = Rows.doubles(presence);                                                   // [B*(M+1)]
        int[] complete = observing(p, m + 1, b, m, -1);
        INDArray fy = joint.mu();                                                              // [B, Ds]
        List<DecodeRequest> requests = new ArrayList<>();
        for (int j = 0; j < m && complete.length > 0; j++) {
            int[] rows = j == label ? observing(p, m + 1, b, m, j) : complete;
            if (rows.length == 0) {
                continue;
            }
            INDArray own = j == label ? noise.get(0).castTo(dtype) : privateColumns(experts.get(j), ds);   // [B, Dp]
            INDArray z = Nd4j.hstack(Rows.gather(fy, rows), Rows.gather(own, rows));             // [R, Ds + Dp]
            requests.add(new DecodeRequest(j, z, rows, Nd4j.valueArrayOf(new long[] {rows.length}, -lambdas[j] / b, dtype)));
        }
        List<MmdTerm> mmd = new ArrayList<>();
        mmd.add(mmd("joint", m, 0, complete, fy, noise.get(1), settings.kernel()));
        for (int j = 0; j < m; j++) {
            if (j != label) {
                int[] rows = observing(p, m + 1, b, j, -1);
                mmd.add(mmd(names.get(j), j, ds, rows, privateColumns(experts.get(j), ds), noise.get(2 + j), settings.kernel()));
            }
        }
        List<Surrogate> surrogates = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            int[] rows = observing(p, m + 1, b, m, j);
            INDArray diff = rows.length == 0 ? null : Rows.gather(sharedColumns(experts.get(j), ds), rows).subi(Rows.gather(fy, rows)); // [R, Ds]
            double value = diff == null ? 0 : diff.mul(diff).sumNumber().doubleValue() / b;
            surrogates.add(new Surrogate(names.get(j), j, rows, diff, value));
        }
        return new MfmStage(List.copyOf(experts), List.copyOf(names), label, ds, b, settings, List.copyOf(requests), mmd, surrogates);
    }

    /** The MMD of codes {@code source[rows, :]} against the first |rows| prior samples; no estimate with fewer than 2 rows. */
    private static MmdTerm mmd(String name, int expert, int from, int[] rows, INDArray source, INDArray prior, MmdKernel kernel) {
        if (rows.length < 2) {
            return new MmdTerm(name, expert, from, rows, null);
        }
        double[][] x = Rows.gather(source, rows).castTo(DataType.DOUBLE).toDoubleMatrix();                 // [R][D]
        double[][] y = prior.get(NDArrayIndex.interval(0, rows.length), NDArrayIndex.all()).castTo(DataType.DOUBLE).toDoubleMatrix();
        return new MmdTerm(name, expert, from, rows, Mmd.of(x, y, kernel));
    }

    private static INDArray sharedColumns(Gaussian q, int ds) {
        return q.mu().get(NDArrayIndex.all(), NDArrayIndex.interval(0, ds));                  // [B, Ds]
    }

    private static INDArray privateColumns(Gaussian q, int ds) {
        return q.mu().get(NDArrayIndex.all(), NDArrayIndex.interval(ds, q.dim())).dup();      // [B, Dp]
    }

    /** The rows observing {@code a} (and {@code b}, unless it is -1). */
    private static int[] observing(double[] p, int cols, int rows, int a, int b) {
        return IntStream.range(0, rows).filter(r -> p[r * cols + a] > 0.5 && (b < 0 || p[r * cols + b] > 0.5)).toArray();
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        double[] nll = new double[names.size()];
        Map<Integer, INDArray> coefficients = new LinkedHashMap<>();
        for (DecodeRequest req : requests) {
            double[] v = req.logProbs(logProbs);
            double[] c = Rows.doubles(req.coefficients());
            for (int r = 0; r < v.length; r++) {
                nll[req.modality()] += c[r] * v[r];                                            // c = -lambda / B
            }
            coefficients.put(req.modality(), req.coefficients());
        }
        List<TermValue> terms = new ArrayList<>();
        double loss = 0;
        for (int j = 0; j < names.size(); j++) {
            terms.add(new TermValue("nll[" + names.get(j) + "]", nll[j]));
            loss += nll[j];
        }
        for (MmdTerm t : mmd) {
            double v = t.result() == null ? 0 : t.result().value();
            terms.add(new TermValue("mmd[" + t.name() + "]", v));
            loss += settings.mmdWeight() * v;
        }
        for (Surrogate s : surrogates) {
            terms.add(new TermValue("surrogate[" + s.name() + "]", s.value()));
            loss += settings.surrogateWeight() * s.value();
        }
        return new Scored(loss, terms, coefficients);
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        List<INDArray> dMu = new ArrayList<>();
        experts.forEach(q -> dMu.add(Nd4j.zeros(q.dtype(), q.rows(), q.dim())));
        int m = names.size();
        DataType dtype = experts.get(m).dtype();
        for (DecodeRequest req : requests) {
            INDArray g = dz.get(req.modality());
            if (g == null) {
                throw new IllegalArgumentException("dL/dz of modality " + req.modality() + " is missing");
            }
            g = g.castTo(dtype);
            long d = g.size(1);
            Rows.scatterAdd(dMu.get(m), req.dataRows(), g.get(NDArrayIndex.all(), NDArrayIndex.interval(0, ds)).dup());
            if (req.modality() != label) {                                                     // the head's eps is a constant
                INDArray own = Nd4j.hstack(Nd4j.zeros(dtype, g.size(0), ds), g.get(NDArrayIndex.all(), NDArrayIndex.interval(ds, d)));
                Rows.scatterAdd(dMu.get(req.modality()), req.dataRows(), own);
            }
        }
        for (MmdTerm t : mmd) {
            if (t.result() == null) {
                continue;
            }
            INDArray dx = Nd4j.create(t.result().dx()).castTo(dtype).muli(settings.mmdWeight());   // [R, D_factor]
            INDArray target = dMu.get(t.expert());
            INDArray full = t.from() == 0 ? dx : Nd4j.hstack(Nd4j.zeros(dtype, dx.size(0), t.from()), dx);
            Rows.scatterAdd(target, t.rows(), full);
        }
        for (Surrogate s : surrogates) {
            if (s.diff() == null) {
                continue;
            }
            INDArray g = s.diff().castTo(dtype).mul(2.0 * settings.surrogateWeight() / batch);  // [R, Ds]
            long dp = experts.get(s.expert()).dim() - ds;
            Rows.scatterAdd(dMu.get(s.expert()), s.rows(), Nd4j.hstack(g, Nd4j.zeros(dtype, g.size(0), dp)));
        }
        List<GaussianGrad> grads = new ArrayList<>();
        for (int j = 0; j < experts.size(); j++) {
            grads.add(new GaussianGrad(dMu.get(j), Nd4j.zeros(dtype, experts.get(j).rows(), experts.get(j).dim())));
        }
        return grads;
    }
}
