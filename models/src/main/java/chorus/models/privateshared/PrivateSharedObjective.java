package chorus.models.privateshared;

import chorus.data.Modality;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.poe.ElboObjective;
import chorus.models.poe.ElboPlan;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ELBO-family objectives over a private + shared latent (see {@link PrivateSharedStage} for the loss):
 * the experts' and decoders' latent of L = Ds + Dp columns is split into a shared slice {@code [0, Ds)},
 * combined by the plan's products of experts, and a private slice {@code [Ds, L)} that each decoder
 * reads from its own modality's expert. The networks are those of any model with latent L.
 *
 * <p>Noise of step s, a function of (seed, s) alone ({@link StepNoise} streams SHARED and PRIVATE): the
 * shared eps {@code [T*B, Ds]} is
 * {@code Noise.standardNormal(Seeds.derive(seed ^ SHARED, s), ...)} and modality m's private eps
 * {@code [T*B, Dp]} is {@code Noise.standardNormal(Seeds.derive(Seeds.derive(seed ^ PRIVATE, s), m), ...)}.
 * With Dp = 0 there is no private part and the objective IS the {@link ElboObjective} of the same plans
 * and seed (same noise, loss, terms and gradients).
 */
public final class PrivateSharedObjective implements Objective {

    private static final long SHARED = 0x5A4E_D5EE_D0F5L;
    private static final long PRIVATE = 0x9121_7A7E_5EEDL;

    private final LongFunction<ElboPlan> plans;
    private final int sharedDim;
    private final int privateDim;
    private final double[] lambdas;
    private final StepNoise sharedNoise;
    private final StepNoise privateNoise;
    private final ElboObjective whole; // the objective when privateDim = 0

    /**
     * @param plans      the step's plan, a function of the step alone
     * @param sharedDim  Ds >= 1, the leading latent columns that experts share
     * @param privateDim Dp >= 0, the trailing latent columns private to each modality
     * @param lambdas    per-modality likelihood weights
     * @param seed       seeds the noise
     */
    public PrivateSharedObjective(LongFunction<ElboPlan> plans, int sharedDim, int privateDim, double[] lambdas,
                                  long seed) {
        if (sharedDim < 1) {
            throw new IllegalArgumentException("sharedDim: " + sharedDim + ", expected at least 1 shared dimension");
        }
        if (privateDim < 0) {
            throw new IllegalArgumentException("privateDim: " + privateDim + ", expected >= 0 private dimensions");
        }
        this.plans = plans;
        this.sharedDim = sharedDim;
        this.privateDim = privateDim;
        this.lambdas = lambdas.clone();
        this.sharedNoise = new StepNoise(seed, SHARED);
        this.privateNoise = new StepNoise(seed, PRIVATE);
        this.whole = new ElboObjective(plans, lambdas, seed);
    }

    /**
     * MVAE's sub-sampled objective (Wu &amp; Goodman 2018) over the shared slice: joint + single-modality
     * terms + {@code k} random subsets per step (the same plans as {@link ElboObjective#mvae}).
     */
    public static PrivateSharedObjective mvae(List<Modality> modalities, int sharedDim, int privateDim, int k,
                                              double[] lambdas, long seed) {
        return new PrivateSharedObjective(ElboPlan.mvaeSteps(modalities, k, seed), sharedDim, privateDim, lambdas, seed);
    }

    /** MoPoE (Sutter et al. 2021) over the shared slice: the mean ELBO over every subset's product of experts. */
    public static PrivateSharedObjective mopoe(List<Modality> modalities, int sharedDim, int privateDim,
                                               boolean includePrior, double[] lambdas, long seed) {
        return new PrivateSharedObjective(ElboPlan.mopoeSteps(modalities, includePrior), sharedDim, privateDim, lambdas, seed);
    }

    /** The latent L = Ds + Dp the model's encoders (2L outputs) and decoders (L inputs) must have. */
    public int latent() {
        return sharedDim + privateDim;
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        int latent = experts.get(0).dim();
        if (latent != latent()) {
            throw new IllegalArgumentException("experts: latent " + latent + ", expected sharedDim + privateDim = "
                    + sharedDim + " + " + privateDim + " = " + latent());
        }
        if (privateDim == 0) {
            return whole.forward(experts, presence, step, beta);
        }
        ElboPlan plan = plans.apply(step);
        int rows = plan.terms() * (int) presence.size(0);
        DataType dtype = experts.get(0).dtype();
        INDArray sharedEps = sharedNoise.draw(step, dtype, rows, sharedDim);            // [T*B, Ds]
        List<INDArray> privateEps = new ArrayList<>(experts.size());
        for (int j = 0; j < experts.size(); j++) {
            privateEps.add(privateNoise.draw(step, j, dtype, rows, privateDim));         // [T*B, Dp]
        }
        return PrivateSharedStage.forward(experts, presence, plan, sharedEps, privateEps, beta, lambdas, sharedDim);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }
}
