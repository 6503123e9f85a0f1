package chorus.models.mmvae;

import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.objective.Weights;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import chorus.models.posterior.MixtureOfExperts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * MMVAE's objective (Shi et al. 2019) for one batch: K stratified samples from every observed expert
 * q_m, each decoded by every modality its data row observes, scored against the uniform mixture
 * q_mix(z | X_b) of the row's observed experts and the prior N(0, I) by a {@link MixtureEstimator}:
 * <pre>
 *   L = -(1/B) sum_b (1/|O_b|) sum_{m in O_b} L_mb      (O_b: the modalities row b observes)
 * </pre>
 * The samples of all experts are stacked into one matrix {@code [M*K*B, D]}, row (m*K + k)*B + b being
 * sample k of expert m for data row b; decoder n receives, in that order, the rows whose data row
 * observes both m and n. Rows of a data row not observing m are sampled but never decoded or weighted.
 *
 * <p>Logged terms add up to the loss: for ELBO {@code nll[m]} and {@code kl[m]} with loss =
 * sum_m nll[m] + beta kl[m] (kl being the Monte-Carlo log q_mix - log p); for IWAE and DREG
 * {@code iwae[m]}, the negated bound of expert m with loss = sum_m iwae[m]. Each is expert m's share
 * (1/B) sum_{b: m in O_b} (1/|O_b|) of that quantity.
 */
public final class MixtureStage implements TermStage {

    private final MixtureEstimator estimator;
    private final MixtureOfExperts.Stratified samples;
    private final MixtureOfExperts mixture;  // log q_mix at every stacked row
    private final INDArray z;                // [M*K*B, D]
    private final INDArray logPrior;         // [M*K*B]
    private final double[] lambdas;
    private final double[] present;          // [B*M] row-major presence
    private final double[] rowWeight;        // [B] 1/(B |O_b|), 0 for a row observing nothing
    private final List<String> names;
    private final int k;
    private final double beta;
    private final List<DecodeRequest> requests;
    private final Map<Integer, int[]> planIndex; // modality -> the stacked row of each request row
    private double[] dLik;                   // [M*K*B] dL/dl on the decoder path, set by score
    private double[] dPrior;                 // [M*K*B] dL/dlog p(z) = -dL/dlog q_mix on the encoder path
    private double[] zScale;                 // [M*K*B] factor on the decoders' dz for the encoder path

    private MixtureStage(MixtureEstimator estimator, MixtureOfExperts.Stratified samples, MixtureOfExperts mixture,
                         INDArray z, double[] lambdas, double[] present, List<String> names, int k, double beta) {
        this.estimator = estimator;
        this.samples = samples;
        this.mixture = mixture;
        this.z = z;
        this.logPrior = Divergence.standardNormalLogDensity(z);
        this.lambdas = lambdas.clone();
        this.present = present;
        this.names = List.copyOf(names);
        this.k = k;
        this.beta = beta;
        int m = lambdas.length;
        int b = present.length / m;
        this.rowWeight = new double[b];
        for (int row = 0; row < b; row++) {
            int observed = 0;
            for (int j = 0; j < m; j++) {
                observed += observes(row, j) ? 1 : 0;
            }
            rowWeight[row] = observed == 0 ? 0.0 : 1.0 / ((double) b * observed);
        }
        this.planIndex = CrossRows.plan(lambdas.length, k, rowWeight.length, this::observes);
        // ELBO coefficients do not depend on the log-likelihoods: its requests carry them (one round trip).
        double[] known = estimator == MixtureEstimator.ELBO ? elboLik((int) z.size(0)) : null;
        List<DecodeRequest> out = new ArrayList<>();
        planIndex.forEach((n, idx) -> out.add(new DecodeRequest(n, Rows.gather(z, idx), dataRows(idx),
                known == null ? null : coefficients(n, idx, known))));
        this.requests = List.copyOf(out);
    }

    /**
     * Samples every expert and plans the decoder requests.
     *
     * @param experts   one expert per modality {@code [B, D]} (absent rows finite, never used)
     * @param presence  {@code [B, M]} 0/1
     * @param eps       M noise matrices {@code [K*B, D]}, one per expert, row k*B + b
     * @param estimator ELBO, IWAE or DREG
     * @param beta      the KL weight (ELBO only; validated for every estimator)
     * @param lambdas   per-modality likelihood weights, length M
     * @param names     per-modality names for the logged terms, length M
     */
    public static MixtureStage forward(List<Gaussian> experts, INDArray presence, List<INDArray> eps,
                                       MixtureEstimator estimator, double beta, double[] lambdas, List<String> names) {
        int m = experts.size();
        if (m == 0 || names.size() != m) {
            throw new IllegalArgumentException("names: " + names.size() + " for " + m + " experts, expected one per"
                    + " modality and at least one");
        }
        Weights.lambdas(lambdas, m);
        Weights.beta(beta);
        int b = experts.get(0).rows();
        if (eps.isEmpty() || eps.get(0).rank() != 2 || eps.get(0).size(0) % b != 0 || eps.get(0).size(0) == 0) {
            throw new IllegalArgumentException("noise eps: " + (eps.isEmpty() ? "none" : java.util.Arrays.toString(eps.get(0).shape()))
                    + ", expected M = " + m + " matrices [K*" + b + ", D]");
        }
        int k = (int) (eps.get(0).size(0) / b);
        MixtureOfExperts.Stratified s = MixtureOfExperts.sampleStratified(experts, presence, k, eps);
        INDArray[] parts = new INDArray[m];
        for (int j = 0; j < m; j++) {
            parts[j] = s.z(j);                                                         // [K*B, D]
        }
        INDArray z = Nd4j.concat(0, parts);                                            // [M*K*B, D]
        MixtureOfExperts mix = MixtureOfExperts.logDensity(z, experts, presence);      // M*K samples per row
        double[] present = presence.castTo(DataType.DOUBLE).dup('c').data().asDouble(); // [B*M]
        return new MixtureStage(estimator, s, mix, z, lambdas, present, names, k, beta);
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        int rows = (int) z.size(0);
        double[] lik = new double[rows];                                               // l per stacked row
        for (DecodeRequest req : requests) {
            double[] v = req.logProbs(logProbs);
            int[] idx = planIndex.get(req.modality());
            for (int r = 0; r < v.length; r++) {
                lik[idx[r]] += lambdas[req.modality()] * v[r];
            }
        }
        double[] prior = logPrior.castTo(DataType.DOUBLE).data().asDouble();
        double[] logQ = mixture.value().castTo(DataType.DOUBLE).data().asDouble();
        dLik = new double[rows];
        dPrior = new double[rows];
        zScale = new double[rows];
        int m = lambdas.length;
        int b = rowWeight.length;
        double[] bound = new double[m];
        double[] nll = new double[m];
        double[] kl = new double[m];
        for (int j = 0; j < m; j++) {
            for (int row = 0; row < b; row++) {
                if (!observes(row, j)) {
                    continue;
                }
                int[] g = new int[k];
                for (int s = 0; s < k; s++) {
                    g[s] = (j * k + s) * b + row;
                }
                MixtureEstimator.Group group = estimator.score(pick(lik, g), pick(prior, g), pick(logQ, g), beta);
                double a = rowWeight[row];
                bound[j] -= a * group.bound();
                nll[j] += a * group.nll();
                kl[j] += a * group.kl();
                for (int s = 0; s < k; s++) {
                    dLik[g[s]] = -a * group.dLik()[s];
                    dPrior[g[s]] = -a * group.dPrior()[s];
                    zScale[g[s]] = group.zScale()[s];
                }
            }
        }
        return new Scored(java.util.Arrays.stream(bound).sum(), terms(bound, nll, kl), coefficientsByModality());
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        if (dPrior == null) {
            throw new IllegalStateException("backward before score: the coefficients of this step are not known yet");
        }
        DataType dtype = z.dataType();
        INDArray dZ = Nd4j.zeros(dtype, z.shape());                                    // [M*K*B, D]
        for (DecodeRequest req : requests) {
            INDArray g = dz.get(req.modality());
            if (g == null) {
                throw new IllegalArgumentException("dL/dz of modality " + req.modality() + " is missing");
            }
            Rows.scatterAdd(dZ, planIndex.get(req.modality()), g);
        }
        // DReG: the decoders backpropagated the IWAE coefficients -a lambda w~; scaling each dz row by
        // its w~ gives the encoder path its w~^2 without a second decoder backprop. 1 for ELBO and IWAE.
        dZ.muliColumnVector(column(zScale, dtype));                                   // [M*K*B, D]
        INDArray gPrior = column(dPrior, dtype).reshape(dPrior.length);               // [M*K*B] dL/dlog p(z)
        dZ.addi(Divergence.standardNormalLogDensityBackward(z, gPrior));
        MixtureOfExperts.Gradient fromMixture = mixture.backward(gPrior.neg(), estimator.detachExperts());
        dZ.addi(fromMixture.dz());
        int m = lambdas.length;
        long block = z.size(0) / m;
        List<INDArray> perExpert = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            perExpert.add(dZ.get(NDArrayIndex.interval(j * block, (j + 1) * block), NDArrayIndex.all()).dup()); // [K*B, D]
        }
        List<GaussianGrad> sampled = samples.backward(perExpert);
        List<GaussianGrad> out = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            out.add(sampled.get(j).plus(fromMixture.experts().get(j)));               // zero for DReG
        }
        return out;
    }

    private Map<Integer, INDArray> coefficientsByModality() {
        Map<Integer, INDArray> out = new LinkedHashMap<>();
        planIndex.forEach((n, idx) -> out.put(n, coefficients(n, idx, dLik)));
        return out;
    }

    /** dL/dlog p_n per request row {@code [R]}: lambda_n times dL/dl of its stacked row. */
    private INDArray coefficients(int n, int[] idx, double[] perRow) {
        double[] c = new double[idx.length];
        for (int r = 0; r < idx.length; r++) {
            c[r] = lambdas[n] * perRow[idx[r]];
        }
        return Nd4j.createFromArray(c).castTo(z.dataType());                           // [R]
    }

    /** ELBO's dL/dl = -a_b / K at every stacked row, known before scoring. */
    private double[] elboLik(int rows) {
        double[] out = new double[rows];
        for (int g = 0; g < rows; g++) {
            out[g] = -rowWeight[g % rowWeight.length] / k;
        }
        return out;
    }

    private List<TermValue> terms(double[] bound, double[] nll, double[] kl) {
        List<TermValue> out = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            if (estimator == MixtureEstimator.ELBO) {
                out.add(new TermValue("nll[" + names.get(j) + "]", nll[j]));
                out.add(new TermValue("kl[" + names.get(j) + "]", kl[j]));
            } else {
                out.add(new TermValue("iwae[" + names.get(j) + "]", bound[j]));
            }
        }
        return out;
    }

    private int[] dataRows(int[] idx) {
        int[] out = new int[idx.length];
        for (int r = 0; r < idx.length; r++) {
            out[r] = idx[r] % rowWeight.length;
        }
        return out;
    }

    private boolean observes(int row, int modality) {
        return present[row * lambdas.length + modality] > 0.5;
    }

    private static double[] pick(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = values[idx[i]];
        }
        return out;
    }

    private static INDArray column(double[] values, DataType dtype) {
        return Nd4j.createFromArray(values).castTo(dtype).reshape(values.length, 1);   // [N, 1]
    }
}
