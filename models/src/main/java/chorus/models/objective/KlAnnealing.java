package chorus.models.objective;

import java.util.Locale;

/**
 * The KL weight beta of every step: it rises linearly from {@code start} to {@code target} over {@code steps}
 * steps (Bowman et al. 2016; the MVAE reference anneals over its first epochs) and then stays at
 * {@code target}, or, with {@link Schedule#CYCLICAL}, repeats that in cycles of {@code steps} steps, rising over
 * the first {@code ratio} of each cycle and holding {@code target} for the rest (Fu et al. 2019, "Cyclical
 * Annealing Schedule", whose default ratio is 0.5). {@code steps = 0} means beta = target throughout; target
 * beta other than 1 gives the beta-VAE weighting (Higgins et al. 2017; MMVAE+ uses 2.5 on PolyMNIST).
 *
 * @param schedule linear (once) or cyclical
 * @param steps    steps of the rise (linear) or of one cycle (cyclical); 0: no annealing
 * @param start    beta at the start of a rise, in [0, target]
 * @param target   beta after annealing, a finite number >= 0
 * @param ratio    cyclical: the fraction of each cycle spent rising, in (0, 1]; linear ignores it
 */
public record KlAnnealing(Schedule schedule, long steps, double start, double target, double ratio) {

    /** Once (linear) or repeated (cyclical). */
    public enum Schedule {
        LINEAR, CYCLICAL;

        /** The config spelling, e.g. {@code cyclical}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public KlAnnealing {
        java.util.Objects.requireNonNull(schedule, "schedule");
        if (steps < 0) {
            throw new IllegalArgumentException("KL annealing steps: " + steps + ", expected >= 0");
        }
        Weights.nonNegative("KL annealing target beta", target);
        if (!(start >= 0 && start <= target)) {
            throw new IllegalArgumentException("KL annealing start beta: " + start + ", expected a number in [0, "
                    + target + "] (the target beta)");
        }
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("KL annealing ratio: " + ratio + ", expected a number in (0, 1]");
        }
    }

    /** Linear annealing from {@code start} to 1 over {@code steps} steps. */
    public KlAnnealing(long steps, double start) {
        this(Schedule.LINEAR, steps, start, 1.0, 1.0);
    }

    /** Beta at global step {@code step} (0-based). */
    public double beta(long step) {
        if (steps == 0) {
            return target;
        }
        long s = Math.max(0, step);
        double rise;
        if (schedule == Schedule.LINEAR) {
            rise = (double) steps;
        } else {
            s = s % steps;
            rise = ratio * steps;
        }
        if (s >= rise) {
            return target;
        }
        return start + (target - start) * s / rise;
    }
}
