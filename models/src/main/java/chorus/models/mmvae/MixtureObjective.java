package chorus.models.mmvae;

import chorus.data.Modality;
import chorus.models.check.Checks;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.objective.Weights;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MMVAE (Shi et al. 2019): a uniform mixture of the unimodal experts, trained with K stratified samples
 * per expert and the stratified ELBO, IWAE (Burda et al. 2016) or DReG (Tucker et al. 2018) estimator;
 * see {@link MixtureStage} for the loss and {@link MixtureEstimator} for the estimators. IWAE and DReG
 * are bounds only at beta = 1 and ignore the step's KL weight.
 *
 * <p>The noise of expert m at step s is part m of {@link StepNoise} stream 0: {@code
 * Noise.standardNormal(Seeds.derive(Seeds.derive(seed, s), m), ...)} of shape {@code [K*B, D]}, a
 * function of (seed, s, m) alone, so every driver of the step samples the same z.
 */
public final class MixtureObjective implements Objective {

    private final List<String> names;
    private final int samples;
    private final MixtureEstimator estimator;
    private final double[] lambdas;
    private final StepNoise noise;

    private MixtureObjective(List<Modality> modalities, int samples, MixtureEstimator estimator, double[] lambdas,
                             long seed) {
        if (modalities == null || modalities.isEmpty()) {
            throw new IllegalArgumentException("modalities: " + modalities + ", expected at least one");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples K: " + samples + ", expected at least 1");
        }
        Objects.requireNonNull(estimator, "estimator");
        Weights.lambdas(lambdas, modalities.size());
        List<String> n = new ArrayList<>();
        modalities.forEach(mod -> n.add(mod.name()));
        this.names = List.copyOf(n);
        this.samples = samples;
        this.estimator = estimator;
        this.lambdas = lambdas.clone();
        this.noise = new StepNoise(seed, 0);
    }

    /**
     * MMVAE with any estimator.
     *
     * @param modalities the modalities, in the order of the experts
     * @param samples    K, samples per expert and data row
     * @param lambdas    per-modality likelihood weights
     * @param seed       seeds the noise: eps of step s is a function of (seed, s) alone
     */
    public static MixtureObjective of(List<Modality> modalities, int samples, MixtureEstimator estimator,
                                      double[] lambdas, long seed) {
        return new MixtureObjective(modalities, samples, estimator, lambdas, seed);
    }

    /** MMVAE with the stratified ELBO (beta-weighted Monte-Carlo KL to the mixture). */
    public static MixtureObjective elbo(List<Modality> modalities, int samples, double[] lambdas, long seed) {
        return of(modalities, samples, MixtureEstimator.ELBO, lambdas, seed);
    }

    /** MMVAE with the stratified IWAE bound (beta ignored). */
    public static MixtureObjective iwae(List<Modality> modalities, int samples, double[] lambdas, long seed) {
        return of(modalities, samples, MixtureEstimator.IWAE, lambdas, seed);
    }

    /** MMVAE with the IWAE bound and DReG's encoder gradient, Shi et al.'s recommended setting (beta ignored). */
    public static MixtureObjective dreg(List<Modality> modalities, int samples, double[] lambdas, long seed) {
        return of(modalities, samples, MixtureEstimator.DREG, lambdas, seed);
    }

    /**
     * Draws the step's noise and forms its stage (see {@link Objective#forward}); IWAE and DREG ignore
     * {@code beta}, but every estimator rejects a {@code beta} that is not a finite number >= 0, and a
     * number of experts other than the number of modalities.
     */
    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        Checks.onePerModality("experts", experts, names);
        Gaussian first = experts.get(0);
        List<INDArray> eps = new ArrayList<>(names.size());
        for (int j = 0; j < names.size(); j++) {
            eps.add(noise.draw(step, j, first.dtype(), samples * first.rows(), first.dim())); // [K*B, D]
        }
        return MixtureStage.forward(experts, presence, eps, estimator, beta, lambdas, names);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    /** K, the samples drawn from every expert per data row. */
    public int samples() {
        return samples;
    }

    /** The estimator of the bound and its gradient. */
    public MixtureEstimator estimator() {
        return estimator;
    }
}
