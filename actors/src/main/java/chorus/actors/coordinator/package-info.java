/**
 * The coordinator: the trainer that plans the run, the combiner that runs each step over the workers, the data
 * loader, the snapshots and the restore point a lost worker node is replaced from, and the run's settings. A step's
 * run and reports are in {@code coordinator.step}; the reporter and the evaluator in {@code coordinator.reporting}.
 * Arrows point down only: this package -> reporting -> step -> workers.
 */
package chorus.actors.coordinator;
