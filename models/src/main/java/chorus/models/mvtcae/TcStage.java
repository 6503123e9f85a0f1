package chorus.models.mvtcae;

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
 * MVTCAE's total-correlation objective (Hwang et al. 2021, "Multi-View Representation Learning via Total
 * Correlation Objective", eq. 9) for one batch. With q(z | X_b) the product of the experts row b observes
 * (the prior expert joining when {@code includePrior}), one z_b ~ q(z | X_b), and M modalities:
 * <pre>
 *   L = (1/B) sum_b [ ((M - alpha)/M) sum_{m in O_b} -lambda_m log p_m(x_bm | z_b)
 *                     + beta ( (1 - alpha) KL(q(z | X_b) || N(0, I)) + (alpha/M) sum_{m in O_b} KL(q(z | X_b) || q_m(z | x_bm)) ) ]
 * </pre>
 * the reconstruction, the VIB term and the conditional VIB terms that together bound the total correlation.
 * A row observing nothing contributes nothing. Logged: {@code nll[m]}, {@code vib} and {@code cvib[m]}, with
 * loss = sum nll + beta (vib + sum cvib).
 */
final class TcStage implements TermStage {

    private final List<Gaussian> experts;
    private final ProductOfExperts poe;
    private final Gaussian q;          // [B, D]
    private final INDArray eps;        // [B, D]
    private final double[] valid;      // [B] 1 where the row observes anything
    private final double[] present;    // [B*M]
    private final INDArray klJoint;    // [B]
    private final List<INDArray> klModality; // M x [B]
    private final double alpha;
    private final double beta;
    private final List<String> names;
    private final List<DecodeRequest> requests;
    private final Map<Integer, int[]> rows;

    TcStage(List<Gaussian> experts, INDArray presence, INDArray eps, boolean includePrior, double alpha, double beta,
            double[] lambdas, List<String> names) {
        int m = experts.size();
        Weights.lambdas(lambdas, m);
        this.beta = Weights.beta(beta);
        this.alpha = alpha;
        this.experts = List.copyOf(experts);
        this.names = List.copyOf(names);
        this.poe = ProductOfExperts.combine(experts, presence, Nd4j.ones(presence.dataType(), 1, m), includePrior);
        this.q = poe.posterior();                                                   // [B, D]
        DataType dtype = q.dtype();
        int b = q.rows();
        if (eps.rank() != 2 || eps.size(0) != b || eps.size(1) != q.dim()) {
            throw new IllegalArgumentException("noise eps: shape " + java.util.Arrays.toString(eps.shape())
                    + ", expected [" + b + ", " + q.dim() + "]");
        }
        this.eps = eps.castTo(dtype);
        this.valid = Rows.doubles(poe.valid());
        this.present = Rows.doubles(presence);
        this.klJoint = Divergence.klStandardNormal(q);                              // [B]
        List<INDArray> kls = new ArrayList<>();
        for (Gaussian e : experts) {
            kls.add(Divergence.klGaussian(q, e));                                  // [B]
        }
        this.klModality = kls;
        INDArray z = q.sample(this.eps);                                            // [B, D]
        double recWeight = (m - alpha) / m;
        List<DecodeRequest> out = new ArrayList<>();
        Map<Integer, int[]> index = new LinkedHashMap<>();
        for (int j = 0; j < m; j++) {
            int[] idx = observing(j, b, m);
            if (idx.length == 0) {
                continue;
            }
            double[] coeff = new double[idx.length];
            java.util.Arrays.fill(coeff, -recWeight * lambdas[j] / b);
            index.put(j, idx);
            out.add(new DecodeRequest(j, Rows.gather(z, idx), idx, Nd4j.createFromArray(coeff).castTo(dtype)));
        }
        this.requests = List.copyOf(out);
        this.rows = index;
    }

    private int[] observing(int j, int b, int m) {
        List<Integer> out = new ArrayList<>();
        for (int row = 0; row < b; row++) {
            if (present[row * m + j] > 0.5) {
                out.add(row);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        int m = experts.size();
        int b = q.rows();
        double[] nll = new double[m];
        Map<Integer, INDArray> coefficients = new LinkedHashMap<>();
        for (DecodeRequest req : requests) {
            double[] v = req.logProbs(logProbs);
            double[] c = Rows.doubles(req.coefficients());
            for (int r = 0; r < v.length; r++) {
                nll[req.modality()] += c[r] * v[r];
            }
            coefficients.put(req.modality(), req.coefficients());
        }
        double[] kj = Rows.doubles(klJoint);
        double vib = 0;
        for (int row = 0; row < b; row++) {
            vib += (1 - alpha) * valid[row] * kj[row] / b;
        }
        double[] cvib = new double[m];
        for (int j = 0; j < m; j++) {
            double[] k = Rows.doubles(klModality.get(j));
            for (int row = 0; row < b; row++) {
                cvib[j] += alpha / m * present[row * m + j] * k[row] / b;
            }
        }
        List<TermValue> terms = new ArrayList<>();
        double loss = beta * vib;
        for (int j = 0; j < m; j++) {
            terms.add(new TermValue("nll[" + names.get(j) + "]", nll[j]));
            loss += nll[j];
        }
        terms.add(new TermValue("vib", vib));
        for (int j = 0; j < m; j++) {
            terms.add(new TermValue("cvib[" + names.get(j) + "]", cvib[j]));
            loss += beta * cvib[j];
        }
        return new Scored(loss, terms, coefficients);
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        int m = experts.size();
        int b = q.rows();
        DataType dtype = q.dtype();
        INDArray dZ = Nd4j.zeros(dtype, b, q.dim());                                // [B, D]
        for (DecodeRequest req : requests) {
            INDArray g = dz.get(req.modality());
            if (g == null) {
                throw new IllegalArgumentException("dL/dz of modality " + req.modality() + " is missing");
            }
            Rows.scatterAdd(dZ, rows.get(req.modality()), g);
        }
        GaussianGrad dq = q.sampleBackward(eps, dZ);
        double[] gJoint = new double[b];
        for (int row = 0; row < b; row++) {
            gJoint[row] = beta * (1 - alpha) * valid[row] / b;
        }
        dq = dq.plus(Divergence.klStandardNormalBackward(q, Nd4j.createFromArray(gJoint).castTo(dtype)));
        List<GaussianGrad> direct = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            double[] g = new double[b];
            for (int row = 0; row < b; row++) {
                g[row] = beta * alpha / m * present[row * m + j] / b;
            }
            Divergence.PairGrad both = Divergence.klGaussianBackward(q, experts.get(j), Nd4j.createFromArray(g).castTo(dtype));
            dq = dq.plus(both.q());
            direct.add(both.p());
        }
        List<GaussianGrad> throughProduct = poe.backward(dq);
        List<GaussianGrad> out = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            out.add(throughProduct.get(j).plus(direct.get(j)));
        }
        return out;
    }
}
