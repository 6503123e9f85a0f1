/**
 * The coordinator: the trainer that plans the run, the combiner that runs each step over the workers
 * ({@code StepRun}), the data loader, the evaluator, the reporter and its metrics file, and the run's settings.
 */
package chorus.actors.coordinator;
