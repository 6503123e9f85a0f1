/**
 * MMVAE (Shi et al. 2019, "Variational Mixture-of-Experts Autoencoders for Multi-Modal Deep Generative
 * Models"): a uniform mixture of the unimodal experts ({@link chorus.models.posterior.MixtureOfExperts}),
 * K stratified samples per expert, each decoded by every modality, scored by the stratified ELBO, IWAE
 * (Burda et al. 2016) or DReG (Tucker et al. 2018) ({@link chorus.models.mmvae.MixtureEstimator}).
 * {@link chorus.models.mmvae.MixtureObjective} draws the noise, {@link chorus.models.mmvae.MixtureStage}
 * plans the decoder rows, turns log-likelihoods into importance weights and backpropagates them.
 */
package chorus.models.mmvae;
