package chorus.models.nn;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times a {@link Network}'s DL4J layers one by one, outside any training step: a training-mode forward
 * and a backward of random errors through a copy of the network, each layer's {@code activate} and
 * {@code backpropGradient} (with its input preprocessor) timed into a {@link LayerProfile}. It walks the
 * layers the way {@code MultiLayerNetwork.feedForward} and {@code backpropGradient} do, so the work is the
 * same as in {@link Network#forward} and {@link Network#backward}, but it is a separate pass on the
 * calling thread: a stand-in until the layer stack records its own times. The network itself is not
 * touched.
 */
public final class LayerTimer {

    private LayerTimer() {
    }

    /**
     * One forward and backward pass on {@code rows} random rows, recorded under {@code name + "/" + index + " "
     * + layer type}.
     */
    public static void time(Network network, String name, int rows, long seed, LayerProfile into) {
        if (rows < 1) {
            throw new IllegalArgumentException("layer timing of " + name + " on " + rows + " rows, expected >= 1");
        }
        MultiLayerNetwork net = network.copy().dl4j();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        Layer[] layers = net.getLayers();
        List<NetworkFlops.LayerFlops> kinds = NetworkFlops.layers(network);
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(network.dataType(), rows, network.inputSize()); // [B, in]
        for (int i = 0; i < layers.length; i++) {
            long t0 = System.nanoTime();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            INDArray in = pre == null ? x : pre.preProcess(x, rows, mgr);
            x = layers[i].activate(in, true, mgr);
            into.record(label(name, kinds.get(i)), false, System.nanoTime() - t0);
        }
        INDArray eps = Nd4j.rand(network.dataType(), x.shape()); // dL/d(output), any values do
        for (int i = layers.length - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            Pair<Gradient, INDArray> g = layers[i].backpropGradient(eps, mgr);
            InputPreProcessor pre = conf.getInputPreProcess(i);
            eps = pre == null ? g.getSecond() : pre.backprop(g.getSecond(), rows, mgr);
            into.record(label(name, kinds.get(i)), true, System.nanoTime() - t0);
        }
        net.clearLayersStates();
    }

    private static String label(String name, NetworkFlops.LayerFlops layer) {
        return name + "/" + layer.index() + " " + layer.type();
    }
}
