package chorus.actors.workers;

/**
 * A hook called by every worker before each phase of a step, so tests and chaos runs can make a worker
 * throw at a chosen point and check that supervision and the step retry recover exactly.
 */
@FunctionalInterface
public interface FaultInjection {

    /** No faults: what every real run uses. */
    FaultInjection NONE = (worker, phase, step, attempt) -> { };

    /**
     * Called before {@code phase} ("forward", "backward" or "commit") of {@code step}; throw to inject a failure.
     */
    void before(WorkerId worker, String phase, long step, int attempt);

    /** Throws once, the first time {@code worker} reaches {@code phase} of {@code step}. */
    static FaultInjection once(WorkerId worker, String phase, long step) {
        java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        return (w, p, s, a) -> {
            if (w.equals(worker) && p.equals(phase) && s == step && fired.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure in " + w + " " + p + " of step " + s);
            }
        };
    }
}
