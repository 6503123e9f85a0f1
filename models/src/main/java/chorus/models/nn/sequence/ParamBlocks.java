package chorus.models.nn.sequence;

import chorus.models.nn.Layers;
import chorus.models.nn.NetworkOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a network whose passes are not a stack of DL4J layers (the recurrent sequence networks):
 * a DL4J network of dense layers used only as a container of weight blocks {@code [rows, cols]} with an
 * optional bias {@code [cols]}. DL4J initialises them (the options' seed and weight init; biases 0), fixes the
 * flat parameter layout, and holds the gradient view and the Adam state, so such a network is stored, copied,
 * sent and updated exactly like every other one; the passes read the blocks as views and never run DL4J's
 * layers (their input and output sizes need not chain).
 */
final class ParamBlocks {

    /** One block's weights and bias and their gradients: views of the network's flat arrays ({@code b}, {@code dB} null without bias). */
    record Block(INDArray w, INDArray b, INDArray dW, INDArray dB) {

        @Override
        public String toString() {
            return "block[" + w.size(0) + ", " + w.size(1) + (b == null ? "" : " + bias") + "]";
        }
    }

    /** A block's shape and whether it has a bias. */
    record Spec(int rows, int cols, boolean bias) {
    }

    private ParamBlocks() {
    }

    /** An initialised container network holding {@code specs} in order. */
    static MultiLayerNetwork build(List<Spec> specs, NetworkOptions options) {
        NeuralNetConfiguration.ListBuilder list = Layers.list(options);
        for (Spec s : specs) {
            Layers.requirePositive(s.rows(), "parameter block rows");
            Layers.requirePositive(s.cols(), "parameter block columns");
            list.layer(new DenseLayer.Builder().nIn(s.rows()).nOut(s.cols()).hasBias(s.bias())
                    .activation(Activation.IDENTITY).build());
        }
        MultiLayerConfiguration conf = list.overrideNinUponBuild(false).build(); // blocks do not chain: keep each nIn
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Views of every block of a container built by {@link #build} (its gradient view initialised). */
    static List<Block> views(MultiLayerNetwork net) {
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView();
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer lc = layer.conf().getLayer();
            Map<String, INDArray> grads = lc.initializer().getGradientsFromFlattened(layer.conf(),
                    layer.getGradientsViewArray());
            INDArray b = layer.getParam("b");
            blocks.add(new Block(layer.getParam("W"), b == null ? null : b.reshape(b.length()), grads.get("W"),
                    b == null ? null : grads.get("b").reshape(b.length())));
        }
        return blocks;
    }
}
