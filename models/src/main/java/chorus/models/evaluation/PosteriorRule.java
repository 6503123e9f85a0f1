package chorus.models.evaluation;

import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import java.util.Objects;

/**
 * How a trained model turns the experts of the observed modalities into one posterior q(z | X_S), the
 * same way its objective did in training: a product with the prior expert for MVAE (Wu &amp; Goodman
 * 2018), the product of the subset's experts for MoPoE (Sutter et al. 2021; the prior joins only when
 * {@code include-prior} is set), a uniform mixture of the experts for MMVAE (Shi et al. 2019). The
 * concatenated VAE has one expert, its encoder, and its posterior is that expert itself: a "product" of
 * one without the prior, as its objective forms it.
 *
 * MEME (Joy et al. 2022) conditions on one modality through its own expert, which a mixture of the given
 * experts is for one given modality. MVTCAE (Hwang et al. 2021) forms the product of the given experts as MoPoE's subset posterior does.
 * MMVAE+ (Palumbo et al. 2023) mixes its experts' shared columns like MMVAE, but its experts and prior are
 * Laplace (the encoder's second half read as the log scale) and a modality's specific latent that is not
 * given comes from the auxiliary prior Laplace(0, {@code auxScale}).
 *
 * @param combination  product (POE, MOPOE, CONCAT) or mixture (MOE, MMVAEPLUS)
 * @param includePrior whether the prior expert N(0, I) joins a product; ignored by a mixture
 * @param auxScale     MMVAEPLUS: the scale of the auxiliary prior of a modality-specific latent not given (else 1)
 */
public record PosteriorRule(Combination combination, boolean includePrior, double auxScale) {

    public PosteriorRule {
        Objects.requireNonNull(combination, "combination");
        if (!(auxScale > 0) || Double.isInfinite(auxScale)) {
            throw new IllegalArgumentException("posterior rule: auxiliary prior scale " + auxScale + ", expected a finite number > 0");
        }
    }

    /** A rule with Gaussian latents (every combination but MMVAEPLUS). */
    public PosteriorRule(Combination combination, boolean includePrior) {
        this(combination, includePrior, 1.0);
    }

    /** The rule of a configured model: MVAE always multiplies in the prior, MoPoE as configured. */
    public static PosteriorRule of(ModelSettings settings) {
        return switch (settings.combination()) {
            case POE -> new PosteriorRule(Combination.POE, true);
            case MOPOE, MVTCAE -> new PosteriorRule(Combination.MOPOE, settings.includePrior());
            case MOE, MEME, FUMMVAE -> new PosteriorRule(Combination.MOE, false); // FUMMVAE: its MMVAE's experts
            case MMVAEPLUS -> new PosteriorRule(Combination.MMVAEPLUS, false, settings.auxPriorScale());
            case CONCAT -> new PosteriorRule(Combination.CONCAT, false);
            case MMPOE_V1, MMPOE_V2 -> new PosteriorRule(Combination.POE, true); // the same product as MVAE's
            case JMVAE, TELBO, MUMO -> new PosteriorRule(settings.combination(), false); // unimodal experts; joint: its own
        };
    }

    /** Whether the experts are multiplied (POE, MOPOE, CONCAT) rather than mixed (MOE, MMVAEPLUS). */
    public boolean isProduct() {
        return combination != Combination.MOE && combination != Combination.MMVAEPLUS;
    }

    /** Whether the experts are Laplace (loc, log scale) rather than Gaussian (mu, logvar): MMVAEPLUS. */
    public boolean laplace() {
        return combination == Combination.MMVAEPLUS;
    }
}
