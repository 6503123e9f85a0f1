package chorus.models.nn.cost;

import chorus.models.nn.Network;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The shape of each layer's input and output in a {@link Network}'s DL4J configuration, walked once from a
 * feed-forward input of {@link Network#inputSize()} columns through the input preprocessors: what
 * {@link NetworkFlops} and {@link NetworkMemory} count from.
 */
final class LayerShapes {

    /** Layer {@code index}'s configuration and the activation types it reads ({@code in}) and writes ({@code out}). */
    record Shape(int index, Layer layer, InputType in, InputType out) {
    }

    private LayerShapes() {
    }

    /** Every layer of {@code network}, in order. */
    static List<Shape> of(Network network) {
        MultiLayerConfiguration conf = network.dl4j().getLayerWiseConfigurations();
        InputType in = InputType.feedForward(network.inputSize());
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre != null) {
                in = pre.getOutputType(in);
            }
            Layer layer = conf.getConf(i).getLayer();
            InputType out = layer.getOutputType(i, in);
            shapes.add(new Shape(i, layer, in, out));
            in = out;
        }
        return shapes;
    }
}
