/**
 * The ELBO family over products of experts: MVAE's sub-sampled objective (Wu &amp; Goodman 2018, "Multimodal
 * Generative Models for Scalable Weakly-Supervised Learning": the joint, every single-modality and k random
 * subset ELBOs), MoPoE (Sutter et al. 2021, "Generalized Multimodal ELBO": the mean ELBO over every
 * subset's product) and a joint PoE ELBO. {@link chorus.models.poe.ElboPlan} says which subsets a step
 * scores, {@link chorus.models.poe.ElboStage} scores them through one batched
 * {@link chorus.models.posterior.ProductOfExperts}, {@link chorus.models.poe.ElboObjective} draws the
 * step's plan and noise.
 */
package chorus.models.poe;
