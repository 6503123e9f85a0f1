/**
 * MMPoE-VAE v1 and v2 (the 3D-faces notes): a product of experts with the prior over a shared latent and a
 * private latent per modality, trained on the joint loss only (v1) or on the joint and every single loss (v2).
 */
package chorus.models.mmpoe;
