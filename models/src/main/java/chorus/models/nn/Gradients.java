package chorus.models.nn;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one backward pass of a {@link Network} produces from an external error dL/d(output).
 * Both arrays are detached copies owned by the caller: safe to keep, sum or send to another actor.
 *
 * @param params dL/dθ, flat {@code [1, numParams]} in the order of {@link Network#params()}
 * @param input  dL/dx, {@code [batch, inputSize]}: the error to pass further upstream
 */
public record Gradients(INDArray params, INDArray input) {

    public Gradients {
        Objects.requireNonNull(params, "parameter gradient");
        Objects.requireNonNull(input, "input gradient");
    }
}
