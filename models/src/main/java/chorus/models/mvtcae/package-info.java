/**
 * MVTCAE (Hwang et al. 2021, "Multi-View Representation Learning via Total Correlation Objective"): the product
 * of the observed experts, one reconstruction of every observed modality from it, and the VIB and conditional
 * VIB KL terms of the total-correlation bound ({@link chorus.models.mvtcae.TcObjective}).
 */
package chorus.models.mvtcae;
