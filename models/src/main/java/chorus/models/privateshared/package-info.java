/**
 * Products of experts over a private + shared latent (modality-specific and shared subspaces as in Sutter
 * et al. 2020, MMJSD; Daunhawer et al. 2020; Lee &amp; Pavlovic 2021, DMVAE): z = (shared, private_m), the
 * shared slice combined and scored exactly as in {@code chorus.models.poe} (MVAE or MoPoE plans), each
 * decoder's private columns drawn from its own modality's expert, plus a private KL.
 * {@link chorus.models.privateshared.PrivateSharedStage} wraps an {@link chorus.models.poe.ElboStage};
 * with no private dimensions {@link chorus.models.privateshared.PrivateSharedObjective} is the ELBO one.
 */
package chorus.models.privateshared;
