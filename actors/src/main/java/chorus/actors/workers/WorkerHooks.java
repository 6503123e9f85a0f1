package chorus.actors.workers;

/**
 * What tests may hook into the workers, in one value: injected failures, and whether a worker in the
 * combiner's JVM puts its parameter gradients in its replies, so each step's report carries them (what
 * the gradient equivalence tests compare). A real run uses {@link #NONE}: no faults, and every gradient
 * stays with its worker, which frees it as soon as it is applied.
 *
 * @param faults          called before each phase of a step; {@link FaultInjection#NONE} injects nothing
 * @param reportGradients whether local workers reply with their parameter gradients
 */
public record WorkerHooks(FaultInjection faults, boolean reportGradients) {

    /** No hooks: what every real run uses. */
    public static final WorkerHooks NONE = new WorkerHooks(FaultInjection.NONE, false);

    /** Gradients reported in every step's report, no faults. */
    public static final WorkerHooks REPORT_GRADIENTS = new WorkerHooks(FaultInjection.NONE, true);

    public WorkerHooks {
        if (faults == null) {
            throw new IllegalArgumentException("worker hooks: faults is null, expected FaultInjection.NONE for none");
        }
    }

    /** Failures injected by {@code f}, gradients not reported. */
    public static WorkerHooks faults(FaultInjection f) {
        return new WorkerHooks(f, false);
    }

    /** These hooks with the gradients reported (a replica reports its share to its router, which sums them). */
    public WorkerHooks reportingGradients() {
        return new WorkerHooks(faults, true);
    }
}
