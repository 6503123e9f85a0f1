/**
 * Generated samples: the Fréchet distance ({@link chorus.models.evaluation.samples.FrechetDistance}) between
 * real and generated features of a classifier ({@link chorus.models.evaluation.samples.SampleFrechet}),
 * latent traversals ({@link chorus.models.evaluation.samples.LatentTraversal}) and principal components of
 * latent means ({@link chorus.models.evaluation.samples.Pca}).
 */
package chorus.models.evaluation.samples;
