package chorus.models.mvtcae;

import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.objective.Objective;
import java.util.List;

/** MVTCAE as a registered model: reads {@code tc-alpha}, {@code include-prior} and the lambdas. */
public enum TcFamily implements ModelFamily {

    /** MVTCAE (Hwang et al. 2021). */
    MVTCAE;

    @Override
    public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return new TcObjective(modalities, s.includePrior(), s.tcAlpha(), s.lambdas(), seed);
    }
}
