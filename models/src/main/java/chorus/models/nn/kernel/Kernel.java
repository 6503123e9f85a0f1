package chorus.models.nn.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer of a {@link KernelStack}: a forward pass that keeps what its backward needs, and a
 * hand-written backward that writes the parameter gradient into the network's gradient view and
 * returns dL/d(input). Buffers are allocated once per batch size and reused, so a training step
 * allocates (almost) nothing; the arrays returned belong to the kernel and are overwritten by its
 * next call — {@link chorus.models.nn.Network} copies what leaves it.
 */
interface Kernel {

    /** Training-mode forward, its rows split over {@code par}; {@code in} must stay unchanged until {@link #backward}. */
    INDArray forward(INDArray in, IntraOp par);

    /**
     * Backward through the last forward.
     *
     * @param dOut          dL/d(output), the shape of the forward's output
     * @param inputGradient whether dL/d(input) is wanted (the first layer of a network can skip it)
     * @param par           the threads the rows are split over (the partial parameter gradients are summed)
     * @return dL/d(input), or null when not wanted
     */
    INDArray backward(INDArray dOut, boolean inputGradient, IntraOp par);

    /** A short name for profiles, e.g. {@code conv2d 1->64}. */
    String name();

}
