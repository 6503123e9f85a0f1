package chorus.models.objective;

/**
 * One logged quantity of a step, e.g. {@code nll[image+label]} or {@code kl[image]}: the batch mean of
 * its (weighted) contribution. Each objective documents how its terms add up to the loss (ELBO family:
 * the nll terms plus beta times the kl terms).
 */
public record TermValue(String name, double value) {
}
