package chorus.models.privateshared;

import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.objective.Objective;
import chorus.models.poe.PoeFamily;
import java.util.List;
import java.util.Objects;

/**
 * A product-of-experts family with optional private latents: with {@code private-latent} Dp = 0 it is
 * {@code shared} itself, otherwise the {@link PrivateSharedObjective} of the same plans over
 * {@code latent} shared and Dp private dimensions (the default networks have latent + Dp columns).
 *
 * @param shared the family whose plans score the shared slice (MVAE or MoPoE)
 */
public record PrivateSharedFamily(PoeFamily shared) implements ModelFamily {

    public PrivateSharedFamily {
        Objects.requireNonNull(shared, "shared family");
    }

    /** {@code shared}, with private latents when the settings ask for them. */
    public static PrivateSharedFamily over(PoeFamily shared) {
        return new PrivateSharedFamily(shared);
    }

    @Override
    public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
        if (s.privateLatent() == 0) {
            return shared.objective(s, modalities, seed);
        }
        return new PrivateSharedObjective(shared.plans(s, modalities, seed), s.latent(), s.privateLatent(), s.lambdas(),
                seed);
    }

    @Override
    public boolean privateLatents() {
        return true;
    }
}
