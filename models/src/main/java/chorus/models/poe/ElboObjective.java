package chorus.models.poe;

import chorus.data.Modality;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import java.util.List;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ELBO-family objectives (MVAE sub-sampled, MoPoE, joint PoE): a plan per step, noise per step, and the
 * {@link ElboStage} that evaluates them.
 */
public final class ElboObjective implements Objective {

    /** The noise stream of the ELBO family (see {@link StepNoise}). */
    public static final long STREAM = 0x5EED_0F_E1B0L;

    private final LongFunction<ElboPlan> plans;
    private final double[] lambdas;
    private final StepNoise noise;

    /**
     * @param plans   the step's plan (fixed, or with random subsets seeded by the step)
     * @param lambdas per-modality likelihood weights
     * @param seed    seeds the noise: eps of step s is a function of (seed, s) alone
     */
    public ElboObjective(LongFunction<ElboPlan> plans, double[] lambdas, long seed) {
        this.plans = plans;
        this.lambdas = lambdas.clone();
        this.noise = new StepNoise(seed, STREAM);
    }

    /** MVAE (Wu &amp; Goodman 2018): joint + single-modality ELBOs + {@code k} random subsets per step. */
    public static ElboObjective mvae(List<Modality> modalities, int k, double[] lambdas, long seed) {
        return new ElboObjective(ElboPlan.mvaeSteps(modalities, k, seed), lambdas, seed);
    }

    /** MoPoE (Sutter et al. 2021): the mean ELBO over every subset's product of experts. */
    public static ElboObjective mopoe(List<Modality> modalities, boolean includePrior, double[] lambdas, long seed) {
        return new ElboObjective(ElboPlan.mopoeSteps(modalities, includePrior), lambdas, seed);
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        ElboPlan plan = plans.apply(step);
        int rows = plan.terms() * (int) presence.size(0);
        INDArray eps = noise.draw(step, experts.get(0).dtype(), rows, experts.get(0).dim()); // [T*B, D]
        return ElboStage.forward(experts, presence, plan, eps, beta, lambdas);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }
}
