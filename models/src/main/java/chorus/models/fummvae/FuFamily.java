package chorus.models.fummvae;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.nn.NetworkOptions;
import chorus.models.objective.Objective;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The factorised MMVAE as a registered model: the dataset's modalities (the MMVAE) plus a unimodal VAE per
 * modality ({@link FuInput}); reads {@code latent} (every latent, as the notes' InfoNCE compares them dimension
 * by dimension), the modalities' settings (both VAEs of a modality share them), the lambdas (the MMVAE's) and
 * {@code alpha} (the InfoNCE weight).
 */
public enum FuFamily implements ModelFamily {

    /** {@code m_infoNCE_naive} of the seed notes. */
    FUMMVAE;

    @Override
    public MultimodalVae build(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
        return FuInput.model(s, modalities, options);
    }

    @Override
    public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return new FuObjective(modalities, s.lambdas(), s.alpha(), seed);
    }

    /** The MMVAE alone ({@link FuInput#mmvae}), evaluated as a mixture of its experts. */
    @Override
    public MultimodalVae evaluated(MultimodalVae trained) {
        return FuInput.mmvae(trained);
    }

    @Override
    public UnaryOperator<Batch> input() {
        return FuInput::batch;
    }
}
