/**
 * Posteriors over the latent z: diagonal {@link chorus.models.posterior.Gaussian} experts, their product
 * over many modality subsets at once ({@link chorus.models.posterior.ProductOfExperts}, MVAE and MoPoE),
 * their mixture ({@link chorus.models.posterior.MixtureOfExperts}, MMVAE), the KL terms
 * ({@link chorus.models.posterior.Divergence}) and seeded noise ({@link chorus.models.posterior.Noise}).
 *
 * <p>Row layouts, shared by every caller:
 * <ul>
 *   <li>expert m: {@code [B, D]}; presence mask {@code [B, M]} 0/1; subset matrix {@code [T, M]} 0/1;</li>
 *   <li>a posterior over T subsets is term-major {@code [T*B, D]}: row {@code t*B+b} = subset t, data row b;</li>
 *   <li>K samples per data row are sample-major {@code [K*B, D]}: row {@code k*B+b} = sample k, data row b.</li>
 * </ul>
 * Every forward function has a hand-derived backward (vector-Jacobian product) taking dL/d(output) and
 * returning dL/d(inputs), checked against finite differences in double. Inputs are never mutated.
 */
package chorus.models.posterior;
