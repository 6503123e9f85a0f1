/**
 * The workers: one encoder and one decoder actor per modality, each owning its network and optimizer state
 * ({@code WorkerNetwork}), their shared protocol, and where they run ({@code Placement}).
 */
package chorus.actors.workers;
