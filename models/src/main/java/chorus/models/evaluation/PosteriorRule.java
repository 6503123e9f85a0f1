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
 * <p>The models with a joint encoder (JMVAE, TELBO, MuMo-VAE, MFM; {@link #jointEncoder()}) infer as their papers
 * do: given every modality their joint encoder reads, from the joint encoder (Suzuki et al. 2016; Vedantam et
 * al. 2018; the 3D-faces notes' q(zS, z_1..z_M | X)); given less, from the given modalities' unimodal experts,
 * multiplied without the prior when there are several (JMVAE-kl and TELBO train each towards the joint
 * posterior; their papers, with two modalities, condition on one). MFM (Tsai et al. 2019) reads its shared
 * factor from its multimodal encoder (which does not read the label it predicts, {@code notJoint}) and each
 * private factor from its modality's encoder; its encoders are deterministic ({@link #deterministic()}).
 *
 * @param combination  product (POE, MOPOE, CONCAT) or mixture (MOE, MMVAEPLUS)
 * @param includePrior whether the prior expert N(0, I) joins a product; ignored by a mixture
 * @param auxScale     MMVAEPLUS: the scale of the auxiliary prior of a modality-specific latent not given (else 1)
 * @param notJoint     a joint-encoder model's data modalities its joint encoder does not read (MFM: the label)
 */
public record PosteriorRule(Combination combination, boolean includePrior, double auxScale, java.util.Set<String> notJoint) {

    public PosteriorRule {
        Objects.requireNonNull(combination, "combination");
        if (!(auxScale > 0) || Double.isInfinite(auxScale)) {
            throw new IllegalArgumentException("posterior rule: auxiliary prior scale " + auxScale + ", expected a finite number > 0");
        }
        notJoint = java.util.Set.copyOf(notJoint);
    }

    /** A rule whose joint encoder, if any, reads every data modality. */
    public PosteriorRule(Combination combination, boolean includePrior, double auxScale) {
        this(combination, includePrior, auxScale, java.util.Set.of());
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
            case MFM -> new PosteriorRule(Combination.MFM, false, 1.0, chorus.models.mfm.MfmSettings.of(settings).heads());
        };
    }

    /** Whether the model has a joint encoder that infers z when every modality it reads is given. */
    public boolean jointEncoder() {
        return switch (combination) {
            case JMVAE, TELBO, MUMO, MFM -> true;
            default -> false;
        };
    }

    /**
     * Whether the encoders are deterministic (MFM, a Wasserstein autoencoder: the factor is the encoder's mean and
     * a posterior sample is that point); such a posterior has no density to score.
     */
    public boolean deterministic() {
        return combination == Combination.MFM;
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
