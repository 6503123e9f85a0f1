/**
 * Objectives as stages that a driver (the in-process {@link chorus.models.ReferenceModel} or the actor
 * system) runs in the same order:
 * <ol>
 *   <li>encoders give experts ({@link EncoderStage});</li>
 *   <li>a {@link TermStage} forms every term's posterior, samples z and emits ONE {@link DecodeRequest}
 *       per target modality holding the z rows of every term that reconstructs it (term fusion);</li>
 *   <li>decoders score their rows ({@link DecoderStage#forward});</li>
 *   <li>the term stage turns the log-likelihoods into the loss, every term's value, and dL/dlogp per row
 *       ({@link TermStage#score});</li>
 *   <li>decoders backpropagate those coefficients and return dL/dz ({@link DecoderStage#backward});</li>
 *   <li>the term stage backpropagates dL/dz, KL and the combination into dL/d(mu, logvar) per expert,
 *       which the encoders backpropagate ({@link EncoderStage#backward}).</li>
 * </ol>
 * For ELBO-family objectives the coefficients do not depend on the log-likelihoods, so requests carry
 * them and steps 3 and 5 can be one message; importance-weighted objectives need the round trip.
 *
 * <p>This package holds only the contracts every family shares: the stages and their messages
 * ({@link Scored}, {@link TermValue}, {@link Rows}), beta's schedule ({@link KlAnnealing}), the one noise
 * scheme ({@link StepNoise}) and the one weight check ({@link Weights}). Each model family lives in its
 * own package: {@code chorus.models.poe}, {@code mmvae}, {@code privateshared}, {@code concat}.
 */
package chorus.models.objective;
