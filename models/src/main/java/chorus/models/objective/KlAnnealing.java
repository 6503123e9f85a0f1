package chorus.models.objective;

/**
 * Linear KL annealing (Bowman et al. 2016; the MVAE reference anneals over its first epochs): beta rises
 * from {@code start} to 1 over {@code steps} steps and stays at 1. {@code steps = 0} means no annealing.
 */
public record KlAnnealing(long steps, double start) {

    public KlAnnealing {
        if (steps < 0) {
            throw new IllegalArgumentException("KL annealing steps: " + steps + ", expected >= 0");
        }
        if (!(start >= 0 && start <= 1)) {
            throw new IllegalArgumentException("KL annealing start beta: " + start + ", expected a number in [0, 1]");
        }
    }

    /** Beta at global step {@code step} (0-based). */
    public double beta(long step) {
        if (steps == 0 || step >= steps) {
            return 1.0;
        }
        return start + (1.0 - start) * Math.max(0, step) / (double) steps;
    }
}
