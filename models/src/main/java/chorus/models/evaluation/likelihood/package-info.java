/**
 * Held-out likelihoods: the importance-sampled log-likelihood of modalities given a subset
 * ({@link chorus.models.evaluation.likelihood.LogLikelihood}) and the test-set ELBO
 * ({@link chorus.models.evaluation.likelihood.TestElbo}).
 */
package chorus.models.evaluation.likelihood;
