package chorus.models.nn;

import chorus.models.nn.kernel.FlatAdam;
import chorus.models.nn.kernel.IntraOp;
import chorus.models.nn.kernel.LayerProfile;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a {@link Network} runs its passes: Chorus's own kernels ({@link KernelPasses}) or DL4J's layers
 * ({@link Dl4jPasses}, for configurations the kernels do not implement, and as the oracle they are tested
 * against). Both read and write the same DL4J parameter, gradient and updater arrays. Arrays returned
 * belong to the passes; {@link Network} copies what leaves it.
 */
public interface Passes {

    /** Training forward of {@code in [B, in]}, keeping what {@link #backward} needs; returns {@code [B, out]}. */
    INDArray forward(INDArray in, IntraOp par);

    /**
     * Backward of {@code eps [B, out]} through the last forward, leaving dL/dθ in the network's gradient view.
     *
     * @return dL/dx {@code [B, in]}, or null when {@code inputGradient} is false and the passes could skip it
     */
    INDArray backward(INDArray eps, IntraOp par, boolean inputGradient);

    /** Inference forward that keeps no state. */
    INDArray output(INDArray in, IntraOp par);

    /** Drops a forward's kept state. */
    void discard();

    /**
     * Chorus's fused Adam over the network's parameters and updater state, or null: the network's optimiser
     * steps are DL4J's updater ({@link Dl4jPasses#step}).
     */
    default FlatAdam adam() {
        return null;
    }

    /** Times every layer into {@code into} (null: stop), where the passes can. */
    void profile(String name, LayerProfile into);
}
