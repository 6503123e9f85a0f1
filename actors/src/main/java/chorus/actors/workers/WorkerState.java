package chorus.actors.workers;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A worker's parameters {@code [1, P]} and optimizer state (copies, safe to keep). */
public record WorkerState(WorkerId worker, INDArray params, INDArray updaterState) {
}
