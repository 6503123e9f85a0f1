package chorus.models.mmvae;

/**
 * How MMVAE's stratified samples (Shi et al. 2019) become a bound per expert m and data row b. For the K
 * samples z_k ~ q_m(z | x_m) of row b, with l_k = sum_{n observed in b} lambda_n log p_n(x_n | z_k) and
 * log w_k = l_k + log p(z_k) - log q_mix(z_k | X_b):
 * <ul>
 *   <li>{@link #ELBO}: L = mean_k [ l_k + beta (log p(z_k) - log q_mix(z_k)) ] (Shi et al.'s stratified ELBO);</li>
 *   <li>{@link #IWAE}: L = logsumexp_k log w_k - log K (Burda et al. 2016);</li>
 *   <li>{@link #DREG}: the same value as IWAE with the doubly reparameterised gradient (Tucker et al. 2018).</li>
 * </ul>
 * The importance-weighted bounds are bounds only at beta = 1: IWAE and DREG ignore the step's KL weight.
 *
 * <p>Each estimator gives, per sample k, the derivatives of L that the stage turns into coefficients:
 * {@code dLik} = dL/dl_k on the decoder path, {@code dPrior} = dL/dlog p(z_k) = -dL/dlog q_mix(z_k) on
 * the encoder path, and {@code zScale}, the factor applied on the encoder path to the dL/dz the decoders
 * return (1 but for DReG). With the IWAE weights w~_k = softmax_k(log w_k):
 * <pre>
 *            dLik      dPrior        zScale   expert parameters inside log q_mix
 *   ELBO     1/K       beta/K        1        differentiated
 *   IWAE     w~_k      w~_k          1        differentiated
 *   DREG     w~_k      w~_k^2        w~_k     stopped (MMVAE's DReG detaches every expert)
 * </pre>
 * DReG's encoder gradient is sum_k w~_k^2 d log w_k / dz_k dz_k / dphi with log q_mix's parameters held
 * constant; its decoder gradient is IWAE's. Decoders run one backprop with the IWAE coefficients
 * w~_k lambda_n and the stage multiplies each returned dz row by w~_k, which makes it w~_k^2.
 */
public enum MixtureEstimator {

    /** The stratified ELBO, averaged over the K samples, with the KL part weighted by beta. */
    ELBO {
        @Override
        public Group score(double[] lik, double[] logPrior, double[] logQ, double beta) {
            int k = lik.length;
            double nll = 0;
            double kl = 0;
            for (int i = 0; i < k; i++) {
                nll -= lik[i] / k;
                kl += (logQ[i] - logPrior[i]) / k;
            }
            return new Group(-nll - beta * kl, nll, kl, constant(k, 1.0 / k), constant(k, beta / k), constant(k, 1.0));
        }
    },

    /** The importance-weighted bound over the K samples of each expert; beta is ignored. */
    IWAE {
        @Override
        public Group score(double[] lik, double[] logPrior, double[] logQ, double beta) {
            Weights w = weights(lik, logPrior, logQ);
            return new Group(w.bound, w.nll, w.kl, w.normalised, w.normalised, constant(lik.length, 1.0));
        }
    },

    /** The IWAE bound with the doubly reparameterised encoder gradient (Tucker et al. 2018); beta is ignored. */
    DREG {
        @Override
        public Group score(double[] lik, double[] logPrior, double[] logQ, double beta) {
            Weights w = weights(lik, logPrior, logQ);
            double[] squared = new double[lik.length];
            for (int i = 0; i < squared.length; i++) {
                squared[i] = w.normalised[i] * w.normalised[i];
            }
            return new Group(w.bound, w.nll, w.kl, w.normalised, squared, w.normalised);
        }

        @Override
        public boolean detachExperts() {
            return true;
        }
    };

    /**
     * The bound of one (expert, data row) group and its derivatives per sample, all of length K.
     *
     * @param bound  L
     * @param nll    -mean_k l_k (for the logs)
     * @param kl     mean_k (log q_mix - log p) (for the logs; ELBO: L = -nll - beta kl)
     * @param dLik   dL/dl_k
     * @param dPrior dL/dlog p(z_k) on the encoder path, = -dL/dlog q_mix(z_k)
     * @param zScale factor on the decoders' dL/dz_k for the encoder path
     */
    public record Group(double bound, double nll, double kl, double[] dLik, double[] dPrior, double[] zScale) {
    }

    /**
     * Scores the K samples of one expert for one data row.
     *
     * @param lik      l_k = sum_n lambda_n log p_n(x_n | z_k)
     * @param logPrior log p(z_k)
     * @param logQ     log q_mix(z_k | X_b)
     * @param beta     the KL weight (ELBO only)
     */
    public abstract Group score(double[] lik, double[] logPrior, double[] logQ, double beta);

    /** Whether log q_mix's direct dependence on the expert parameters is stopped. */
    public boolean detachExperts() {
        return false;
    }

    private record Weights(double bound, double nll, double kl, double[] normalised) {
    }

    /** The max-shifted log-mean-exp of log w and the normalised weights w~ = softmax(log w). */
    private static Weights weights(double[] lik, double[] logPrior, double[] logQ) {
        int k = lik.length;
        double[] logW = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        double nll = 0;
        double kl = 0;
        for (int i = 0; i < k; i++) {
            logW[i] = lik[i] + logPrior[i] - logQ[i];
            max = Math.max(max, logW[i]);
            nll -= lik[i] / k;
            kl += (logQ[i] - logPrior[i]) / k;
        }
        double total = 0;
        double[] normalised = new double[k];
        for (int i = 0; i < k; i++) {
            normalised[i] = Math.exp(logW[i] - max);
            total += normalised[i];
        }
        for (int i = 0; i < k; i++) {
            normalised[i] /= total;
        }
        return new Weights(max + Math.log(total) - Math.log(k), nll, kl, normalised);
    }

    private static double[] constant(int k, double value) {
        double[] out = new double[k];
        java.util.Arrays.fill(out, value);
        return out;
    }
}
