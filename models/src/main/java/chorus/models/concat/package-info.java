/**
 * The vanilla VAE on concatenated modalities, the baseline of Wu &amp; Goodman 2018 (MVAE, "VAE" in their
 * tables) and Shi et al. 2019: one encoder over all modalities side by side, one decoder, one ELBO.
 * {@link chorus.models.concat.Concatenation} turns a multimodal batch into one joint modality (values,
 * then per-modality presence columns) and builds the model and its one-term objective;
 * {@link chorus.models.concat.Segmented} is its likelihood, each modality's segment scored with its own
 * likelihood and weight and masked by the presence columns. The joint modality's likelihood kind
 * {@code LikelihoodKind.SEGMENTED} is declared in data/, because a {@code Modality} carries its kind.
 */
package chorus.models.concat;
