/**
 * One training step as the combiner runs it ({@link chorus.actors.coordinator.step.StepRun}: the plan's messages to
 * the workers and the replies it waits for) and what it ends in ({@link chorus.actors.coordinator.step.StepReport},
 * {@link chorus.actors.coordinator.step.StepFailure}); {@link chorus.actors.coordinator.step.CoordinatorLocal} marks
 * the protocols that never leave the coordinator's JVM. Reads only the workers' protocol: the coordinator's other
 * packages build on it.
 */
package chorus.actors.coordinator.step;
