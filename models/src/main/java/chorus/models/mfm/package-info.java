/**
 * MFM, the Multimodal Factorization Model (Tsai, Liang, Zadeh, Morency &amp; Salakhutdinov 2019, "Learning Factorized
 * Multimodal Representations", ICLR): a multimodal discriminative factor F_y read by a multimodal encoder from the
 * generative modalities, a modality-specific generative factor F_a(i) per generative modality, each modality
 * reconstructed from (F_y, F_a(i)), the label predicted from F_y alone, and the divergence of a Wasserstein
 * autoencoder, the MMD between each factor's aggregated posterior and the prior N(0, I), in place of the KL
 * ({@link chorus.models.mfm.Mmd}). Settings: {@link chorus.models.mfm.MfmSettings} ({@code chorus.model.mfm}).
 */
package chorus.models.mfm;
