package chorus.models.mfm;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.joint.JointInput;
import chorus.models.nn.NetworkOptions;
import chorus.models.objective.Objective;
import com.typesafe.config.Config;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * MFM as a registered family: the per-modality encoders and decoders of latent Ds + Dp ({@code latent} +
 * {@code private-latent}) and the multimodal encoder of {@code concat-hidden} over every modality but the label
 * ({@link JointInput}, its workers named {@code joint}), whose output is F_y (Ds). Reads {@code chorus.model.mfm}.
 */
public enum MfmFamily implements ModelFamily {

    /** Tsai et al. 2019. */
    MFM;

    @Override
    public MultimodalVae build(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
        var heads = MfmSettings.of(s).heads();
        List<Modality> reads = modalities.stream().filter(m -> !heads.contains(m.name())).toList();
        return JointInput.model(s, modalities, reads, options, s.latent());
    }

    @Override
    public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return new MfmObjective(modalities, s.latent(), s.privateLatent(), s.lambdas(), MfmSettings.of(s), seed);
    }

    @Override
    public UnaryOperator<Batch> input(ModelSettings s) {
        var heads = MfmSettings.of(s).heads();
        return b -> JointInput.batch(b, heads);
    }

    @Override
    public boolean privateLatents() {
        return true;
    }

    @Override
    public void validate(Config root, String path, List<Modality> modalities) {
        MfmSettings.validate(root, modalities);
    }
}
