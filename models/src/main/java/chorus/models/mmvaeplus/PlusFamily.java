package chorus.models.mmvaeplus;

import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.objective.Objective;
import java.util.List;

/**
 * MMVAE+ as a registered model: {@code latent} is the shared Dz, {@code private-latent} the modality-specific
 * Dw (each network's latent is Dz + Dw, as for the private-shared variants), {@code samples} K, {@code estimator},
 * {@code aux-prior-scale} and the lambdas.
 */
public enum PlusFamily implements ModelFamily {

    /** MMVAE+ (Palumbo et al. 2023). */
    MMVAE_PLUS;

    @Override
    public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return new PlusObjective(modalities, s.samples(), s.privateLatent(), s.auxPriorScale(), s.estimator(),
                s.lambdas(), seed);
    }

    @Override
    public boolean privateLatents() {
        return true;
    }
}
