package chorus.actors.coordinator.step;

import chorus.actors.workers.WorkerId;
import chorus.models.objective.TermValue;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One finished step: the loss and every logged term; each worker's applied gradient {@code [1, P]}, only
 * when the workers' hooks report gradients (the equivalence tests; null otherwise, for a worker that had no
 * rows, and for a worker on another node); per worker that took part, the staleness of its update and its
 * busy time; the combiner's busy time; the attempts it took (1 without failures); and the time from plan
 * to last update.
 */
public record StepReport(long step, double loss, List<TermValue> terms, List<INDArray> encoderGrads,
                         List<INDArray> decoderGrads, Map<WorkerId, Long> staleness, Map<WorkerId, Long> busyNanos,
                         long combinerNanos, int attempts, long nanos) implements StepOutcome {

    /** The largest staleness of any update applied for this step. */
    public long maxStaleness() {
        return staleness.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
