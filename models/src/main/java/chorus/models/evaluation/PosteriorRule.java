package chorus.models.evaluation;

import chorus.models.ModelSettings;
import chorus.models.ModelSettings.Combination;
import java.util.Objects;

/**
 * How a trained model turns the experts of the observed modalities into one posterior q(z | X_S), the
 * same way its objective did in training: a product with the prior expert for MVAE (Wu &amp; Goodman
 * 2018), the product of the subset's experts for MoPoE (Sutter et al. 2021; the prior joins only when
 * {@code include-prior} is set), a uniform mixture of the experts for MMVAE (Shi et al. 2019). The
 * concatenated VAE has one expert, its encoder, and its posterior is that expert itself: a "product" of
 * one without the prior, as its objective forms it.
 *
 * @param combination  product (POE, MOPOE, CONCAT) or mixture (MOE)
 * @param includePrior whether the prior expert N(0, I) joins a product; ignored by MOE
 */
public record PosteriorRule(Combination combination, boolean includePrior) {

    public PosteriorRule {
        Objects.requireNonNull(combination, "combination");
    }

    /** The rule of a configured model: MVAE always multiplies in the prior, MoPoE as configured. */
    public static PosteriorRule of(ModelSettings settings) {
        return switch (settings.combination()) {
            case POE -> new PosteriorRule(Combination.POE, true);
            case MOPOE -> new PosteriorRule(Combination.MOPOE, settings.includePrior());
            case MOE -> new PosteriorRule(Combination.MOE, false);
            case CONCAT -> new PosteriorRule(Combination.CONCAT, false);
            case MMPOE_V1, MMPOE_V2 -> new PosteriorRule(Combination.POE, true); // the same product as MVAE's
            case JMVAE, TELBO, MUMO -> new PosteriorRule(settings.combination(), false); // unimodal experts; joint: its own
        };
    }

    /** Whether the experts are multiplied (POE, MOPOE, CONCAT) rather than mixed (MOE). */
    public boolean isProduct() {
        return combination != Combination.MOE;
    }
}
