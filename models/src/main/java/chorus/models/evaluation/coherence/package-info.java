/**
 * Cross-modal coherence: a {@link chorus.models.evaluation.coherence.ClassJudge} per modality (the label
 * itself, or an {@link chorus.models.evaluation.coherence.ImageClassifier} trained on the data) scores
 * generated values against the true class, over every conditioning subset
 * ({@link chorus.models.evaluation.coherence.CoherenceTable}); and the accuracy of a linear classifier on
 * the latent representations ({@link chorus.models.evaluation.coherence.LatentAccuracy}).
 */
package chorus.models.evaluation.coherence;
