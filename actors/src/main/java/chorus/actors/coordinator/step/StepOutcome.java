package chorus.actors.coordinator.step;

/** How a step ended: a {@link StepReport}, or a {@link StepFailure} that stops the run. */
public sealed interface StepOutcome permits StepReport, StepFailure {

    /** The step's global number. */
    long step();
}
