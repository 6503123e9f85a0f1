package chorus.models.nn;

import chorus.models.nn.kernel.IntraOp;
import chorus.models.nn.kernel.LayerProfile;
import java.util.List;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A network's passes through DL4J's own layers and updater (single-threaded: {@code par} is ignored). */
public final class Dl4jPasses implements Passes {

    private final MultiLayerNetwork net;

    Dl4jPasses(MultiLayerNetwork net) {
        this.net = net;
    }

    @Override
    public INDArray forward(INDArray in, IntraOp par) {
        net.setInput(in);
        List<INDArray> activations = net.feedForward(true, false); // input, then one per layer
        return activations.get(activations.size() - 1); // [B, out]
    }

    @Override
    public INDArray backward(INDArray eps, IntraOp par, boolean inputGradient) {
        Pair<Gradient, INDArray> g = net.backpropGradient(eps.dup('c'), LayerWorkspaceMgr.noWorkspaces()); // DL4J may reuse eps
        INDArray view = net.getGradientsViewArray(); // [1, P]
        INDArray grad = g.getFirst().gradient();
        if (grad != view) {
            view.assign(grad.reshape(view.shape()));
        }
        net.clearLayersStates(); // the kept activations are spent; free them now rather than at GC
        return g.getSecond(); // [B, in]
    }

    @Override
    public INDArray output(INDArray in, IntraOp par) {
        INDArray out = net.output(in, false); // [B, out], detached from the layers
        net.clearLayersStates();
        return out;
    }

    @Override
    public void discard() {
        net.clearLayersStates();
    }

    @Override
    public void profile(String name, LayerProfile into) {
        // DL4J's layers are not timed
    }

    /**
     * DL4J's updater on {@code net}. It divides the gradient by the minibatch size it is given; this passes 1
     * because the caller's loss is already a mean over its batch.
     */
    public static void step(MultiLayerNetwork net, INDArray flatGrad, int iteration, int epoch) {
        INDArray view = net.getGradientsViewArray(); // [1, nParams]: the buffer the updater blocks read
        view.assign(flatGrad.reshape(view.shape()));
        // The Gradient wraps the network's own view, so DL4J takes its standard (non-external) path.
        net.getUpdater().update(net, new DefaultGradient(view), iteration, epoch, 1, LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params(); // [nParams]: rank 1 in M2.1, while the gradient view is [1, nParams]
        params.subi(view.reshape(params.shape())); // view now holds the Adam step lr * m / (sqrt(v) + eps)
    }
}
