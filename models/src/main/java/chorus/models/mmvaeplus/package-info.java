/**
 * MMVAE+ (Palumbo et al. 2023): MMVAE's mixture over a shared latent z plus a modality-specific latent w_m
 * per modality, Laplace posteriors and prior, and an auxiliary prior r(w_m) for cross-modal reconstruction,
 * trained with IWAE or DReG. {@link chorus.models.mmvaeplus.PlusObjective} draws the noise,
 * {@code PlusLatents} samples and scores the latents, {@code PlusStage} plans the decoder rows and
 * backpropagates the estimator.
 */
package chorus.models.mmvaeplus;
