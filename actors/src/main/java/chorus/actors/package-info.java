/**
 * Chorus actors: {@link chorus.actors.TrainingSystem} assembles a run from the subpackages, whose imports go
 * only downward: {@code cluster} (joining nodes, finding remote workers) → {@code coordinator} (trainer,
 * combiner, loader, evaluator, reporter) → {@code workers} (encoder and decoder workers, their network state
 * and placement; {@code workers.replicas} splits a worker's rows over replicas) → {@code chorus.models}.
 * {@code wire} serializes the worker messages that cross nodes.
 */
package chorus.actors;
