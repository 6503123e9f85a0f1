/**
 * The InfoNCE-factorised MMVAE of the seed notes ({@code m_infoNCE_naive}, "Factorized Training: Proposed
 * Method"): two unimodal VAEs and an MMVAE over both modalities, trained together, with InfoNCE terms that push
 * what the modalities share into the MMVAE's latent and what is each modality's own into its unimodal VAE's
 * ({@link chorus.models.fummvae.FuObjective}, {@link chorus.models.fummvae.InfoNce}).
 */
package chorus.models.fummvae;
