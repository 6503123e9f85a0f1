package chorus.models.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A scored step: the loss to minimise, every term's value for the logs, and dL/dlogp per decoder row
 * (keyed by modality index, in the row order of that modality's {@link DecodeRequest}).
 */
public record Scored(double loss, List<TermValue> terms, Map<Integer, INDArray> coefficients) {

    public Scored {
        terms = List.copyOf(terms);
        coefficients = Map.copyOf(coefficients);
    }
}
