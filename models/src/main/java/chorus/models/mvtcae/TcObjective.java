package chorus.models.mvtcae;

import chorus.data.Modality;
import chorus.models.check.Checks;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.objective.Weights;
import chorus.models.posterior.Gaussian;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MVTCAE (Hwang et al. 2021): the product of the observed experts trained with the total-correlation
 * objective of {@link TcStage}, {@code alpha} trading the VIB term against the conditional VIB terms. The
 * noise of step s is {@link StepNoise} stream {@link #STREAM}: {@code [B, D]}, a function of (seed, s) alone.
 */
public final class TcObjective implements Objective {

    /** The noise stream of MVTCAE's one sample per row. */
    public static final long STREAM = 0x7463_6165L; // "tcae"

    private final List<String> names;
    private final boolean includePrior;
    private final double alpha;
    private final double[] lambdas;
    private final StepNoise noise;

    /**
     * @param modalities   the modalities, in the order of the experts
     * @param includePrior whether the prior expert N(0, I) joins the product
     * @param alpha        the total-correlation weight in [0, 1] (MultiVae's default, from the original code: 0.1)
     * @param lambdas      per-modality likelihood weights
     * @param seed         seeds the noise
     */
    public TcObjective(List<Modality> modalities, boolean includePrior, double alpha, double[] lambdas, long seed) {
        if (modalities == null || modalities.isEmpty()) {
            throw new IllegalArgumentException("modalities: " + modalities + ", expected at least one");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("MVTCAE alpha: " + alpha + ", expected a number in [0, 1]");
        }
        this.names = modalities.stream().map(Modality::name).toList();
        this.includePrior = includePrior;
        this.alpha = alpha;
        this.lambdas = Weights.lambdas(lambdas, modalities.size()).clone();
        this.noise = new StepNoise(seed, STREAM);
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        Checks.onePerModality("experts", experts, names);
        Gaussian first = experts.get(0);
        INDArray eps = noise.draw(step, first.dtype(), first.rows(), first.dim()); // [B, D]
        return new TcStage(experts, presence, eps, includePrior, alpha, beta, lambdas, names);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }
}
