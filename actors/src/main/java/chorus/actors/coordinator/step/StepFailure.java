package chorus.actors.coordinator.step;

/**
 * A step that could not be completed: a NaN/Inf loss or gradient, a failure that persisted through
 * every retry, or a failure while applying an update. {@code message} names the step, the worker or
 * term, and the cause.
 */
public record StepFailure(long step, String message) implements StepOutcome {
}
