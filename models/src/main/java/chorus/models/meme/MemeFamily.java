package chorus.models.meme;

import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.objective.Objective;
import java.util.List;

/** MEME as a registered model: reads {@code samples} (K), {@code meme-supervision} (c) and the lambdas. */
public enum MemeFamily implements ModelFamily {

    /** MEME (Joy et al. 2022). */
    MEME;

    @Override
    public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return new MemeObjective(modalities, s.samples(), s.memeSupervision(), s.lambdas(), seed);
    }
}
