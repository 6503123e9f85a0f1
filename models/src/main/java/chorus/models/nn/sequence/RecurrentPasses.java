package chorus.models.nn.sequence;

import chorus.models.nn.Dl4jPasses;
import chorus.models.nn.Passes;
import chorus.models.nn.kernel.FlatAdam;
import chorus.models.nn.kernel.IntraOp;
import chorus.models.nn.kernel.LayerProfile;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What the recurrent sequence networks share: their parameter blocks ({@link ParamBlocks}) in a container
 * network, Adam over the whole flat vector ({@link FlatAdam}, or DL4J's updater), and small helpers. Their
 * passes run whole sequences on one thread (a sequence's steps depend on each other; the matrices are small).
 */
abstract class RecurrentPasses implements Passes {

    protected final MultiLayerNetwork net;
    protected final List<ParamBlocks.Block> blocks;
    private final FlatAdam adam;

    RecurrentPasses(MultiLayerNetwork net) {
        this.net = net;
        this.blocks = ParamBlocks.views(net);
        this.adam = FlatAdam.of(net);
    }

    /** The forward of {@code in}, keeping what the backward needs when {@code keep}. */
    abstract INDArray run(INDArray in, boolean keep);

    @Override
    public final INDArray forward(INDArray in, IntraOp par) {
        return run(in, true);
    }

    @Override
    public final INDArray output(INDArray in, IntraOp par) {
        return run(in, false);
    }

    @Override
    public final INDArray backward(INDArray eps, IntraOp par, boolean inputGradient) {
        net.getGradientsViewArray().assign(0.0); // every block's gradient is summed over the steps below
        return backprop(eps);
    }

    /** dL/dx of the last kept forward, adding dL/dθ into the (zeroed) gradient views. */
    abstract INDArray backprop(INDArray eps);

    @Override
    public final FlatAdam adam() {
        return adam;
    }

    @Override
    public final void profile(String name, LayerProfile into) {
        // recurrent passes are not timed per layer
    }

    /** Columns {@code [from, from + width)} of {@code a} (a view). */
    static INDArray cols(INDArray a, long from, long width) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + width));
    }

    /** {@code a W + b} of a block. */
    static INDArray affine(INDArray a, ParamBlocks.Block block) {
        INDArray out = a.mmul(block.w());
        return block.b() == null ? out : out.addiRowVector(block.b());
    }

    /** Adds the gradients of {@code a W + b} given dL/d(out) into the block; returns dL/da. */
    static INDArray affineBackward(INDArray a, ParamBlocks.Block block, INDArray dOut) {
        block.dW().addi(a.transpose().mmul(dOut));
        if (block.dB() != null) {
            block.dB().addi(dOut.sum(0));
        }
        return dOut.mmul(block.w().transpose());
    }

    /** Swish, x sigmoid(x). */
    static INDArray swish(INDArray pre) {
        return pre.mul(Transforms.sigmoid(pre, true));
    }

    /** dL/dpre of swish from dL/d(out): sigmoid(x) (1 + x (1 - sigmoid(x))). */
    static INDArray swishBackward(INDArray pre, INDArray dOut) {
        INDArray s = Transforms.sigmoid(pre, true);
        return dOut.mul(s.mul(pre.mul(s.rsub(1.0)).addi(1.0)));
    }

    static INDArray zeros(INDArray like, long rows, long cols) {
        return Nd4j.zeros(like.dataType(), rows, cols);
    }
}
