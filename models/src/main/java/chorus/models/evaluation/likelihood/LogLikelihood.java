package chorus.models.evaluation.likelihood;

import chorus.data.Batch;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.SubsetPosterior;
import chorus.models.nn.Network;
import chorus.models.objective.DecoderInput;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.LaplaceMath;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Importance-sampled marginal log-likelihoods (Burda et al. 2016, IWAE), the test metric of the MVAE
 * (Wu &amp; Goodman 2018) and MMVAE (Shi et al. 2019) papers:
 * <pre>
 *   log p(X_S) ~ log (1/K) sum_k p(X_S | z_k) p(z_k) / q(z_k | X_S),   z_k ~ q(z | X_S)
 * </pre>
 * with the model's own posterior over S as proposal ({@link SubsetPosterior}: the product of the subset's
 * experts for PoE and MoPoE, the mixture density for MoE). Only the modalities in S are scored, each with
 * its true likelihood (lambda = 1: the density, not the weighted training objective; the concatenated
 * VAE's segmented likelihood, which carries its lambdas, is scored {@link
 * chorus.models.likelihood.Likelihood#unweighted unweighted}). For any K the estimate is a stochastic lower
 * bound on log p(X_S) that tightens as K grows.
 *
 * <p>With private latents z, p(z) and q(z | X_S) are over the joint latent (see {@link Generation}): the
 * private part of a modality outside S is drawn from the prior, so its factors of p(z) and q cancel and
 * the estimate is that of the model whose other modalities are marginalised out.
 *
 * <p>MMVAE+ (Laplace latents) scores its prior Laplace(0, 1) over z and every w_m, with its posterior's Laplace density
 * as proposal; a w_m outside S is drawn from the auxiliary prior r(w_m), whose ratio to p(w_m) has mean 1 there.
 *
 * <p>The K samples are drawn in chunks of {@code chunk} (the decoders see {@code chunk * B} rows at a
 * time, so K = 1000 at B = 100 fits in memory) and folded into a running log-sum-exp per row in double;
 * sample k's noise depends only on (seed, k), so the chunk size changes nothing but rounding.
 *
 * <p>The conditional log p(x_A | x_B) = log p(x_A, x_B) - log p(x_B) is the difference of two such
 * estimates, each with its own proposal and the same noise seeds (common random numbers). Being a
 * difference of two lower bounds it is not itself a bound; it converges as K grows.
 */
public final class LogLikelihood {

    private LogLikelihood() {
    }

    /**
     * Per-row estimates {@code [B]} of log p(X_S), S = {@code subset}. Every row of {@code batch} must
     * observe every modality of S.
     */
    public static double[] logMarginal(MultimodalVae model, PosteriorRule rule, Batch batch, List<String> subset,
            int k, int chunk, long seed) {
        if (k < 1 || chunk < 1) {
            throw new IllegalArgumentException("importance samples k = " + k + " in chunks of " + chunk
                    + ", expected both >= 1");
        }
        int[] s = Generation.indices(model, subset);
        requireObserved(model, batch, s);
        SubsetPosterior q = Generation.posterior(model, rule, batch, subset);
        return logMeanExp(batch.size(), k, chunk, (from, to) -> {
            INDArray z = q.sample(seed, from, to);                                         // [C*B, D]
            return logWeights(model, s, q, batch, z);                                      // [C*B]
        });
    }

    /**
     * Per-row estimates {@code [B]} of the predictive log-likelihood of the deck's table (Shi et al. 2019,
     * MMVAE, Table 3: log p(x_m | x_S)), with the posterior standing in for p(z | X_S):
     * <pre>
     *   log p(x_m | X_S) ~ log (1/K) sum_k p(x_m | z_k),   z_k ~ q(z | X_S)
     * </pre>
     * S may hold m (log p(x_m | x_m) scores reconstruction through the posterior). Every row must observe m
     * and every modality of S.
     */
    public static double[] predictive(MultimodalVae model, PosteriorRule rule, Batch batch, String target,
            List<String> given, int k, int chunk, long seed) {
        if (k < 1 || chunk < 1) {
            throw new IllegalArgumentException("importance samples k = " + k + " in chunks of " + chunk
                    + ", expected both >= 1");
        }
        int m = Generation.indices(model, List.of(target))[0];
        requireObserved(model, batch, new int[] {m});
        requireObserved(model, batch, Generation.indices(model, given));
        SubsetPosterior q = Generation.posterior(model, rule, batch, given);
        return logMeanExp(batch.size(), k, chunk, (from, to) -> {
            INDArray z = q.sample(seed, from, to);                                         // [C*B, D]
            INDArray params = model.decoders().get(m).output(Generation.decoderInput(model, m, z)); // [C*B, P]
            INDArray x = Nd4j.tile(batch.tensors().get(m).castTo(params.dataType()), to - from, 1); // [C*B, size]
            return model.likelihoods().get(m).unweighted().logProb(params, x);             // [C*B]
        });
    }

    /** Log values {@code [C*B]} (sample-major) of samples [from, to). */
    private interface Chunk {
        INDArray values(int from, int to);
    }

    /** log (1/K) sum_k exp(v_k) per row, the K samples drawn in chunks and folded into a running log-sum-exp in double. */
    private static double[] logMeanExp(int b, int k, int chunk, Chunk values) {
        double[] max = new double[b];
        double[] sum = new double[b];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int from = 0; from < k; from += chunk) {
            int to = Math.min(k, from + chunk);
            double[] w = values.values(from, to).castTo(DataType.DOUBLE).toDoubleVector(); // [C*B]
            for (int i = 0; i < w.length; i++) {
                int row = i % b;
                if (w[i] > max[row]) {
                    sum[row] = sum[row] * Math.exp(max[row] - w[i]) + 1.0; // exp(-inf) = 0 on the first sample
                    max[row] = w[i];
                } else {
                    sum[row] += Math.exp(w[i] - max[row]);
                }
            }
        }
        double[] out = new double[b];
        for (int row = 0; row < b; row++) {
            out[row] = max[row] + Math.log(sum[row]) - Math.log(k);
        }
        return out;
    }

    /**
     * Per-row estimates {@code [B]} of log p(x_A | x_B) = log p(x_A, x_B) - log p(x_B), A = {@code targets},
     * B = {@code given} (disjoint, both non-empty).
     */
    public static double[] conditional(MultimodalVae model, PosteriorRule rule, Batch batch, List<String> targets,
            List<String> given, int k, int chunk, long seed) {
        int[] a = Generation.indices(model, targets);
        int[] g = Generation.indices(model, given);
        if (Arrays.stream(a).anyMatch(j -> Arrays.stream(g).anyMatch(i -> i == j))) {
            throw new IllegalArgumentException("conditional log-likelihood: targets " + targets + " and given "
                    + given + " overlap, expected disjoint sets");
        }
        List<String> joint = new java.util.ArrayList<>(targets);
        joint.addAll(given);
        double[] both = logMarginal(model, rule, batch, joint, k, chunk, seed);
        double[] cond = logMarginal(model, rule, batch, given, k, chunk, seed);
        for (int row = 0; row < both.length; row++) {
            both[row] -= cond[row];
        }
        return both;
    }

    /**
     * The log importance weights {@code [C*B]} of sample rows {@code z [C*B, jointLatent]} (sample-major):
     * sum_{m in S} log p_m(x_m | z) + log p(z) - log q(z | X_S).
     *
     * @param subset the modality indices of S
     */
    public static INDArray logWeights(MultimodalVae model, int[] subset, SubsetPosterior q, Batch batch, INDArray z) {
        int c = (int) (z.size(0) / batch.size());
        INDArray prior = q.rule().laplace() ? LaplaceMath.standardLogDensity(z) : Divergence.standardNormalLogDensity(z); // [C*B]
        INDArray w = prior.subi(q.logDensity(z));                                          // [C*B]
        for (int j : subset) {
            Network decoder = model.decoders().get(j);
            INDArray x = Nd4j.tile(batch.tensors().get(j).castTo(decoder.dataType()), c, 1); // [C*B, size]
            INDArray params = decoder.output(DecoderInput.scoring(decoder, Generation.decoderInput(model, j, z), x)); // [C*B, P]
            w.addi(model.likelihoods().get(j).unweighted().logProb(params, x));           // [C*B]
        }
        return w;
    }

    private static void requireObserved(MultimodalVae model, Batch batch, int[] subset) {
        for (int j : subset) {
            double observed = batch.presence().getColumn(j).sumNumber().doubleValue();
            if (observed < batch.size()) {
                throw new IllegalArgumentException("log-likelihood of " + model.modalities().get(j).name() + ": "
                        + (batch.size() - (long) observed) + " of " + batch.size() + " rows do not observe it,"
                        + " expected rows that observe every modality of the subset");
            }
        }
    }
}
