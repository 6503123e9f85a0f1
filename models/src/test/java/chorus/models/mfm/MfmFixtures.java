package chorus.models.mfm;

import chorus.data.Batch;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.ModelSettings.Combination;
import chorus.models.joint.JointFixtures;
import java.util.Map;

/** Tiny MFM models over {@code ModelFixtures}' image, label and features: F_y of 2 dimensions, F_a of 1, joint MLP [6]. */
public final class MfmFixtures {

    private MfmFixtures() {
    }

    /** MFM's settings with {@code label} ("" for none), MMD weight 3, surrogate weight 0.5. */
    public static ModelSettings settings(String label, long seed) {
        return settings(label, seed, 0.5);
    }

    /** MFM's settings with {@code label} ("" for none), MMD weight 3 and the given surrogate weight. */
    public static ModelSettings settings(String label, long seed, double surrogate) {
        ModelSettings s = JointFixtures.settings(Combination.MFM, 1, seed);
        var config = ChorusConfig.load(null, Map.of("chorus.model.mfm.label", "\"" + label + "\"",
                "chorus.model.mfm.mmd-weight", "3", "chorus.model.mfm.surrogate-weight", String.valueOf(surrogate)));
        return new ModelSettings(s.latent(), s.privateLatent(), s.combination(), s.randomSubsets(), s.includePrior(),
                s.estimator(), s.samples(), s.seed(), s.learningRate(), s.annealing(), s.auxPriorScale(), s.tcAlpha(),
                s.memeSupervision(), s.concatHidden(), s.modalities(), s.alpha(), config);
    }

    /** A batch of {@code JointFixtures.batch} with MFM's joint modality (over every modality but the label). */
    public static Batch batch(ModelSettings s, long step, double[][] presence) {
        return ModelFactory.input(s).apply(chorus.models.ModelFixtures.batch(step, 4, org.nd4j.linalg.api.buffer.DataType.DOUBLE, presence));
    }
}
