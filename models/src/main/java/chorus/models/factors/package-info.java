/**
 * Whether a model's latent groups hold the known factors of a dataset (twoviews: identity, a shared shift, a
 * rotation of view 1, a brightness of view 2): the posterior means of test rows per group
 * ({@link chorus.models.factors.LatentGroups}) and held-out linear probes of each factor from each group
 * ({@link chorus.models.factors.LinearProbe}).
 */
package chorus.models.factors;
