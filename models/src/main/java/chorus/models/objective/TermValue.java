package chorus.models.objective;

/**
 * One logged quantity of a step, e.g. {@code recon[image+label]} or {@code kl[image]}: the batch mean of
 * its (weighted) contribution, so the terms add up to minus the objective.
 */
public record TermValue(String name, double value) {
}
