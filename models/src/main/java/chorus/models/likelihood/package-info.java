/**
 * Decoder likelihoods p_m(x_m | z) ({@link chorus.models.likelihood.Likelihood}): Bernoulli and categorical
 * from logits, Gaussian ({@link chorus.models.likelihood.FixedScaleGaussian}) and Laplace with a fixed
 * scale. Each scores rows {@code [R, size]} against decoder outputs {@code [R, P]}, returns per-row
 * log-probabilities {@code [R]} and has an explicit backward.
 */
package chorus.models.likelihood;
