package chorus.models.poe;

import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.objective.Weights;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import chorus.models.posterior.ProductOfExperts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ELBO family (MVAE's sub-sampled objective, MoPoE, a joint PoE ELBO) for one batch:
 * <pre>
 *   L = (1/B) sum_t sum_b a_tb [ - sum_{m in targets_t, observed_b} lambda_m log p_m(x_bm | z_tb) + beta KL(q_tb || N(0,I)) ]
 * </pre>
 * with q_tb the product of experts of term t's subset for row b, z_tb = mu + sigma eps_tb, and a_tb the
 * plan's weight of the pair (0 where undefined). Every term's posterior comes from one batched
 * {@link ProductOfExperts#combine}; every decoder gets one request with all its rows.
 */
public final class ElboStage implements TermStage {

    private final ElboPlan plan;
    private final ProductOfExperts poe;
    private final INDArray eps;        // [T*B, D]
    private final INDArray weights;    // [T*B] a_tb
    private final INDArray kl;         // [T*B]
    private final double beta;
    private final int batch;
    private final List<DecodeRequest> requests;
    private final Map<Integer, int[]> planIndex; // modality -> the (t*B + b) row of each request row

    private ElboStage(ElboPlan plan, ProductOfExperts poe, INDArray eps, INDArray weights, INDArray kl,
                      double beta, int batch, List<DecodeRequest> requests,
                      Map<Integer, int[]> planIndex) {
        this.plan = plan;
        this.poe = poe;
        this.eps = eps;
        this.weights = weights;
        this.kl = kl;
        this.beta = beta;
        this.batch = batch;
        this.requests = requests;
        this.planIndex = planIndex;
    }

    /**
     * Forms every term's posterior, samples z and plans the decoder requests.
     *
     * @param experts  one expert per modality {@code [B, D]} (absent rows finite, never used)
     * @param presence {@code [B, M]} 0/1
     * @param eps      {@code [T*B, D]} standard-normal noise, term-major
     * @param beta     the KL weight (annealed)
     * @param lambdas  per-modality likelihood weights, length M
     */
    public static ElboStage forward(List<Gaussian> experts, INDArray presence, ElboPlan plan, INDArray eps,
                                    double beta, double[] lambdas) {
        int m = experts.size();
        Weights.lambdas(lambdas, m);
        Weights.beta(beta);
        ProductOfExperts poe = ProductOfExperts.combine(experts, presence, plan.subsets(), plan.includePrior());
        Gaussian q = poe.posterior();                                            // [T*B, D]
        DataType dtype = q.dtype();
        int b = (int) presence.size(0);
        int t = plan.terms();
        if (eps.rank() != 2 || eps.size(0) != (long) t * b || eps.size(1) != q.dim()) {
            throw new IllegalArgumentException("noise eps: shape " + java.util.Arrays.toString(eps.shape())
                    + ", expected [" + (t * b) + ", " + q.dim() + "] (terms x batch, latent)");
        }
        INDArray weights = plan.rowWeights(presence, dtype).muli(poe.valid());  // [T*B]
        INDArray z = q.sample(eps.castTo(dtype));                                // [T*B, D]
        INDArray kl = Divergence.klStandardNormal(q);                            // [T*B]
        double[] w = Rows.doubles(weights);
        double[] present = Rows.doubles(presence); // [B*M]
        double[] targets = Rows.doubles(plan.targets()); // [T*M]
        List<DecodeRequest> requests = new ArrayList<>();
        Map<Integer, int[]> planIndex = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < t * b; i++) {
                if (w[i] > 0 && targets[(i / b) * m + j] > 0.5 && present[(i % b) * m + j] > 0.5) {
                    rows.add(i);
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
            int[] dataRows = new int[idx.length];
            double[] coeff = new double[idx.length];
            for (int r = 0; r < idx.length; r++) {
                dataRows[r] = idx[r] % b;
                coeff[r] = -lambdas[j] * w[idx[r]] / b;
            }
            planIndex.put(j, idx);
            requests.add(new DecodeRequest(j, Rows.gather(z, idx), dataRows, Nd4j.createFromArray(coeff).castTo(dtype)));
        }
        return new ElboStage(plan, poe, eps.castTo(dtype), weights, kl, beta, b, List.copyOf(requests),
                Map.copyOf(planIndex));
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    /** The plan row {@code t*B + b} of each row of {@code modality}'s request (a copy). */
    public int[] planRows(int modality) {
        int[] rows = planIndex.get(modality);
        if (rows == null) {
            throw new IllegalArgumentException("modality " + modality + " has no request this step");
        }
        return rows.clone();
    }

    /** The weight a_tb of every (term, row) pair {@code [T*B]}, 0 where undefined (a copy). */
    public INDArray weights() {
        return weights.dup();
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        int t = plan.terms();
        double[] nll = new double[t];
        Map<Integer, INDArray> coefficients = new LinkedHashMap<>();
        for (DecodeRequest req : requests) {
            double[] v = req.logProbs(logProbs);
            double[] c = Rows.doubles(req.coefficients());
            for (int r = 0; r < v.length; r++) {
                nll[planIndex.get(req.modality())[r] / batch] += c[r] * v[r];                              // c = -lambda a / B
            }
            coefficients.put(req.modality(), req.coefficients());
        }
        double[] a = Rows.doubles(weights);
        double[] k = Rows.doubles(kl);
        double[] klTerm = new double[t];
        for (int i = 0; i < a.length; i++) {
            klTerm[i / batch] += a[i] * k[i] / batch;
        }
        List<TermValue> terms = new ArrayList<>();
        double loss = 0;
        for (int i = 0; i < t; i++) {
            terms.add(new TermValue("nll[" + plan.names().get(i) + "]", nll[i]));
            terms.add(new TermValue("kl[" + plan.names().get(i) + "]", klTerm[i]));
            loss += nll[i] + beta * klTerm[i];
        }
        return new Scored(loss, terms, coefficients);
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        Gaussian q = poe.posterior();
        INDArray dZ = Nd4j.zeros(q.dtype(), q.rows(), q.dim());                  // [T*B, D]
        for (DecodeRequest req : requests) {
            INDArray g = dz.get(req.modality());
            if (g == null) {
                throw new IllegalArgumentException("dL/dz of modality " + req.modality() + " is missing");
            }
            Rows.scatterAdd(dZ, planIndex.get(req.modality()), g);
        }
        GaussianGrad sampled = q.sampleBackward(eps, dZ);
        GaussianGrad fromKl = Divergence.klStandardNormalBackward(q, weights.mul(beta / batch));
        return poe.backward(sampled.plus(fromKl));
    }
}
