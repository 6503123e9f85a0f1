/**
 * Forward-only evaluation of a trained model, shared by the evaluations in the subpackages: which posterior
 * a subset of modalities gives ({@link chorus.models.evaluation.PosteriorRule},
 * {@link chorus.models.evaluation.SubsetPosterior}), the subsets evaluated
 * ({@link chorus.models.evaluation.ConditioningSubsets}), generation from a posterior or the prior
 * ({@link chorus.models.evaluation.Generation}) and a mean with its standard error
 * ({@link chorus.models.evaluation.Summary}).
 *
 * <p>Subpackages import this package, never the reverse: {@code coherence} (classifier judges, coherence
 * tables, latent-representation accuracy), {@code likelihood} (importance-sampled log-likelihood, test ELBO)
 * and {@code samples} (Fréchet distances of generated samples, which reuse the coherence judges; latent
 * traversals; PCA).
 */
package chorus.models.evaluation;
