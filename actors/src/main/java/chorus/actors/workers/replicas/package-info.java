/**
 * A modality's worker as one actor or as a router over replicas that split each request's rows and apply
 * the same summed gradient; {@code ModalityWorkers} chooses which from the placement.
 */
package chorus.actors.workers.replicas;
