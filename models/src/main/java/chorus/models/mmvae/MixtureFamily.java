package chorus.models.mmvae;

import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import java.util.List;

/** MMVAE as a registered model: reads {@code samples} (K), {@code estimator} and the lambdas. */
public enum MixtureFamily implements ModelFamily {

    /** MMVAE (Shi et al. 2019). */
    MMVAE;

    @Override
    public MixtureObjective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return MixtureObjective.of(modalities, s.samples(), s.estimator(), s.lambdas(), seed);
    }
}
