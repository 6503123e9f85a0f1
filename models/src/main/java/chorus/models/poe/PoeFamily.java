package chorus.models.poe;

import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The product-of-experts families as registered models: MVAE reads {@code random-subsets}, MoPoE reads
 * {@code include-prior}; both read the lambdas. Their networks are the default per-modality experts.
 */
public enum PoeFamily implements ModelFamily {

    /** MVAE (Wu &amp; Goodman 2018): joint + single-modality ELBOs + {@code random-subsets} subsets per step. */
    MVAE {
        @Override
        public LongFunction<ElboPlan> plans(ModelSettings s, List<Modality> modalities, long seed) {
            return ElboPlan.mvaeSteps(modalities, s.randomSubsets(), seed);
        }
    },

    /** MoPoE (Sutter et al. 2021): the mean ELBO over every subset's product, the prior per {@code include-prior}. */
    MOPOE {
        @Override
        public LongFunction<ElboPlan> plans(ModelSettings s, List<Modality> modalities, long seed) {
            return ElboPlan.mopoeSteps(modalities, s.includePrior());
        }
    };

    /** The plan of every step (random subsets, if any, seeded by (seed, step)). */
    public abstract LongFunction<ElboPlan> plans(ModelSettings s, List<Modality> modalities, long seed);

    @Override
    public ElboObjective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return new ElboObjective(plans(s, modalities, seed), s.lambdas(), seed);
    }
}
