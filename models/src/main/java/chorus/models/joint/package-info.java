/**
 * Models with a joint encoder q(z | x_1, ..., x_M) beside the unimodal ones: JMVAE-kl (Suzuki et al. 2016)
 * and MuMo-VAE (three encoders, one joint, two decoders reading (shared, private), three VAE losses).
 * {@link chorus.models.joint.JointInput} runs the joint encoder as one more modality of the model (its
 * input the modalities side by side, present only on complete rows), so every driver runs it unchanged;
 * {@link chorus.models.joint.TermsStage} scores ELBO terms whose posterior is one expert,
 * {@link chorus.models.joint.JmvaeStage} adds JMVAE's KL(q(z | X) || q_m(z | x_m)) terms,
 * {@link chorus.models.joint.JointObjective} draws the noise, {@link chorus.models.joint.JointFamily}
 * registers them.
 */
package chorus.models.joint;
