package chorus.models.nn;

import chorus.models.nn.kernel.FlatAdam;
import chorus.models.nn.kernel.IntraOp;
import chorus.models.nn.kernel.KernelStack;
import chorus.models.nn.kernel.LayerProfile;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A network's passes on Chorus's own kernels, its optimiser step on {@link FlatAdam} where the updater allows. */
final class KernelPasses implements Passes {

    private final MultiLayerNetwork net;
    private final KernelStack kernels;
    private final FlatAdam adam; // null: DL4J's updater (a configuration FlatAdam does not implement)

    private KernelPasses(MultiLayerNetwork net, KernelStack kernels, FlatAdam adam) {
        this.net = net;
        this.kernels = kernels;
        this.adam = adam;
    }

    /** The kernel passes of {@code net}, or null when some layer has no kernel. */
    static KernelPasses of(MultiLayerNetwork net) {
        KernelStack kernels = KernelStack.of(net);
        return kernels == null ? null : new KernelPasses(net, kernels, FlatAdam.of(net));
    }

    @Override
    public INDArray forward(INDArray in, IntraOp par) {
        return kernels.forward(in, par);
    }

    @Override
    public INDArray backward(INDArray eps, IntraOp par, boolean inputGradient) {
        return kernels.backward(eps, par, inputGradient); // the kernels never write eps
    }

    @Override
    public INDArray output(INDArray in, IntraOp par) {
        return kernels.forward(in, par); // no layer has a train/test difference
    }

    @Override
    public void discard() {
        // the buffers are reused by the next forward
    }

    @Override
    public FlatAdam adam() {
        return adam;
    }

    @Override
    public void profile(String name, LayerProfile into) {
        kernels.profile(name, into);
    }
}
