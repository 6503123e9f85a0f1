/**
 * MEME (Joy et al. 2022, "Learning Multimodal VAEs through Mutual Supervision"): unimodal experts whose
 * posteriors serve as each other's priors, each decoder supervising the other modality's encoder through an
 * importance-weighted conditional term; partially observed rows train their one modality
 * ({@link chorus.models.meme.MemeObjective}).
 */
package chorus.models.meme;
