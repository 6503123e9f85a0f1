package chorus.actors;

import chorus.models.objective.TermValue;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One finished step: the loss, every logged term, each worker's applied gradient {@code [1, P]} (null
 * for a worker that had no rows) and how long the step took from plan to last update.
 */
public record StepReport(long step, double loss, List<TermValue> terms, List<INDArray> encoderGrads,
                         List<INDArray> decoderGrads, long nanos) {
}
