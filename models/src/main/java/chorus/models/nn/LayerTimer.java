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
 * and a backward of an output error through a copy of the network, each layer's {@code activate} and
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
     * On one copy of {@code network}: an unrecorded warm-up pass (DL4J and oneDNN set layers up on first use),
     * then {@code passes} forward and backward passes on {@code rows} rows, recorded under each layer's
     * {@link #label}.
     */
    public static void time(Network network, String name, int rows, int passes, LayerProfile into) {
        if (rows < 1 || passes < 1) {
            throw new IllegalArgumentException("layer timing of " + name + " on " + rows + " rows, " + passes
                    + " passes: expected rows >= 1 and passes >= 1");
        }
        MultiLayerNetwork net = network.copy().dl4j();
        List<String> labels = NetworkFlops.layers(network).stream().map(l -> label(name, l)).toList();
        // constant inputs and errors: dense products take the same time whatever the values (no RNG touched)
        INDArray x = Nd4j.valueArrayOf(new long[] {rows, network.inputSize()}, 0.5, network.dataType()); // [B, in]
        pass(net, x, labels, new LayerProfile());
        for (int p = 0; p < passes; p++) {
            pass(net, x, labels, into);
        }
    }

    private static void pass(MultiLayerNetwork net, INDArray input, List<String> labels, LayerProfile into) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        Layer[] layers = net.getLayers();
        int rows = (int) input.size(0);
        INDArray x = input;
        for (int i = 0; i < layers.length; i++) {
            long t0 = System.nanoTime();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            INDArray in = pre == null ? x : pre.preProcess(x, rows, mgr);
            x = layers[i].activate(in, true, mgr);
            into.record(labels.get(i), false, System.nanoTime() - t0);
        }
        INDArray eps = Nd4j.valueArrayOf(x.shape(), 0.01, x.dataType()); // dL/d(output) [B, out]
        for (int i = layers.length - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            Pair<Gradient, INDArray> g = layers[i].backpropGradient(eps, mgr);
            InputPreProcessor pre = conf.getInputPreProcess(i);
            eps = pre == null ? g.getSecond() : pre.backprop(g.getSecond(), rows, mgr);
            into.record(labels.get(i), true, System.nanoTime() - t0);
        }
        net.clearLayersStates();
    }

    /** The name a layer's times are recorded under: {@code network/index Type}, e.g. {@code decoder.image/2 Deconvolution2D}. */
    public static String label(String name, NetworkFlops.LayerFlops layer) {
        return name + "/" + layer.index() + " " + layer.type();
    }
}
