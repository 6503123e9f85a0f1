package chorus.models.mfm;

import chorus.data.Modality;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MFM's objective over the model's modalities (the data's M, then the multimodal encoder's): {@link MfmStage}. Its
 * noise at step s is {@code StepNoise(seed, STREAM).draw(s, part, ...)}: part 0 the head's eps, part 1 F_y's prior
 * samples, part 2 + j modality j's prior samples.
 */
public final class MfmObjective implements Objective {

    /** The noise stream of MFM. */
    public static final long STREAM = 0x3F3_0BADL;

    private final List<String> names;
    private final int label;
    private final int shared;
    private final int priv;
    private final double[] lambdas;
    private final MfmSettings settings;
    private final StepNoise noise;

    /**
     * @param modalities the data's M modalities
     * @param shared     Ds = dim F_y
     * @param priv       Dp = dim F_a(i)
     * @param lambdas    the M likelihood weights
     */
    public MfmObjective(List<Modality> modalities, int shared, int priv, double[] lambdas, MfmSettings settings, long seed) {
        if (lambdas.length != modalities.size() || shared < 1 || priv < 1) {
            throw new IllegalArgumentException("MFM: " + lambdas.length + " weights for " + modalities.size() + " modalities, factors "
                    + shared + " + " + priv + ", expected one weight per modality and factors of at least one dimension");
        }
        this.names = modalities.stream().map(Modality::name).toList();
        this.label = settings.labelIndex(modalities);
        this.shared = shared;
        this.priv = priv;
        this.lambdas = lambdas.clone();
        this.settings = settings;
        this.noise = new StepNoise(seed, STREAM);
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        int b = (int) presence.size(0);
        var dtype = experts.get(0).dtype();
        List<INDArray> eps = new ArrayList<>();
        eps.add(noise.draw(step, 0, dtype, b, priv));                                         // [B, Dp]
        eps.add(noise.draw(step, 1, dtype, b, shared));                                       // [B, Ds]
        for (int j = 0; j < names.size(); j++) {
            eps.add(noise.draw(step, 2 + j, dtype, b, priv));                                 // [B, Dp]
        }
        return MfmStage.forward(experts, presence, names, shared, label, lambdas, settings, eps);
    }

    /** The M lambdas, then 0 for the multimodal encoder's modality (nothing reconstructs it). */
    @Override
    public double[] lambdas() {
        double[] out = java.util.Arrays.copyOf(lambdas, lambdas.length + 1);
        out[lambdas.length] = 0.0;
        return out;
    }
}
