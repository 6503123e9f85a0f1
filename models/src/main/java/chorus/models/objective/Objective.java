package chorus.models.objective;

import chorus.models.posterior.Gaussian;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training objective: for one batch's experts it builds the {@link TermStage} that plans the terms,
 * samples z and later scores and backpropagates them. The noise is a function of the objective's seed
 * and the step, so every driver of the same step samples the same z.
 */
public interface Objective {

    /**
     * Forms the step's terms.
     *
     * @param experts  one expert per modality {@code [B, D]} (absent rows finite, never read)
     * @param presence {@code [B, M]} 0/1
     * @param step     the global step (seeds the noise and any random subsets)
     * @param beta     the KL weight of this step
     */
    TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta);

    /** The per-modality likelihood weights lambda_m, in modality order. */
    double[] lambdas();
}
