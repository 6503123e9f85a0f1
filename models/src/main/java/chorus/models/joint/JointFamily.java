package chorus.models.joint;

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
 * The models with a joint encoder as registered families: the dataset's per-modality encoders and decoders
 * plus the joint encoder over all modalities ({@link JointInput}), whose batches carry the joint modality.
 * Both read {@code latent}, {@code concat-hidden} (the joint encoder's MLP) and each modality's settings.
 */
public enum JointFamily implements ModelFamily {

    /** JMVAE-kl (Suzuki et al. 2016): latent D everywhere, reads {@code alpha}. */
    JMVAE {
        @Override
        public MultimodalVae build(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
            return JointInput.model(s, modalities, options, s.latent());
        }

        @Override
        public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
            return JointObjective.jmvae(modalities, s.latent(), s.lambdas(), s.alpha(), seed);
        }
    },

    /** TELBO (Vedantam et al. 2018): latent D everywhere; the single terms train only the unimodal encoders. */
    TELBO {
        @Override
        public MultimodalVae build(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
            return JointInput.model(s, modalities, options, s.latent());
        }

        @Override
        public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
            return JointObjective.telbo(modalities, s.latent(), s.lambdas(), seed);
        }
    },

    /**
     * MuMo-VAE: zS of {@code latent} dimensions and a private z_m of {@code private-latent} per modality; the
     * unimodal encoders have latent Ds + Dp, the joint one Ds + M Dp.
     */
    MUMO {
        @Override
        public MultimodalVae build(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
            return JointInput.model(s, modalities, options, s.latent() + modalities.size() * s.privateLatent());
        }

        @Override
        public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
            return JointObjective.mumo(modalities, s.latent(), s.privateLatent(), s.lambdas(), seed);
        }

        @Override
        public boolean privateLatents() {
            return true;
        }
    };

    @Override
    public UnaryOperator<Batch> input() {
        return JointInput::batch;
    }
}
