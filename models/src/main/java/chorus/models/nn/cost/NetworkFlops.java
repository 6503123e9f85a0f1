package chorus.models.nn.cost;

import chorus.models.nn.Network;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Floating-point operations of a {@link Network}, counted from its layer shapes: the multiply-adds of
 * its matrix products and convolutions, 2 FLOPs each. Per row of the batch, forward:
 * <ul>
 *   <li>DenseLayer: {@code 2 nIn nOut};</li>
 *   <li>ConvolutionLayer: {@code 2 kh kw cin cout outH outW} (each output position reads a kh x kw x cin
 *       window for each output channel);</li>
 *   <li>Deconvolution2D (transposed convolution): {@code 2 kh kw cin cout inH inW} — counted per INPUT
 *       position, each of which scatters a kh x kw x cout patch;</li>
 *   <li>ActivationLayer: 0.</li>
 * </ul>
 * Biases, activations and padding are not counted (they are O(outputs), not O(weights x positions)).
 *
 * <p>A training pass is {@link #TRAINING_FACTOR} = 3 forwards: backward computes the weight gradient and
 * the input gradient, each as costly as the forward product. The first layer's input gradient would be
 * unnecessary for an encoder (nothing consumes dL/dx of the data), but {@link Network#backward} computes
 * it for every layer, so it is counted everywhere.
 *
 * <p>Layer shapes are read from the network's DL4J configuration (its input preprocessors and each
 * layer's output type), starting from a feed-forward input of {@link Network#inputSize()} columns. Any
 * other layer type is an error naming it, so a new layer cannot be silently counted as free.
 */
public final class NetworkFlops {

    /** Forward + weight gradient + input gradient. */
    public static final int TRAINING_FACTOR = 3;

    /** One layer's forward FLOPs per row. */
    public record LayerFlops(int index, String type, long perRow) {
    }

    private NetworkFlops() {
    }

    /** Forward FLOPs per batch row of {@code network}: the sum of {@link #layers}. */
    public static long forwardPerRow(Network network) {
        return layers(network).stream().mapToLong(LayerFlops::perRow).sum();
    }

    /** FLOPs of training (forward and backward) on {@code rows} rows. */
    public static long training(Network network, long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("training FLOPs of " + rows + " rows, expected rows >= 0");
        }
        return TRAINING_FACTOR * rows * forwardPerRow(network);
    }

    /** The name a layer's times are recorded under: {@code network/index Type}, e.g. {@code decoder.image/2 Deconvolution2D}. */
    public static String label(String name, LayerFlops layer) {
        return name + "/" + layer.index() + " " + layer.type();
    }

    /** Each layer's forward FLOPs per row, in layer order. */
    public static List<LayerFlops> layers(Network network) {
        return LayerShapes.of(network).stream().map(l -> new LayerFlops(l.index(), l.layer().getClass().getSimpleName(),
                perRow(l.index(), l.layer(), l.in(), l.out()))).toList();
    }

    private static long perRow(int index, Layer layer, InputType in, InputType out) {
        if (layer instanceof DenseLayer d) {
            return 2 * d.getNIn() * d.getNOut();
        }
        if (layer instanceof Deconvolution2D d) { // before ConvolutionLayer: it extends it
            InputType.InputTypeConvolutional x = convolutional(index, in);
            return 2L * d.getKernelSize()[0] * d.getKernelSize()[1] * d.getNIn() * d.getNOut() * x.getHeight() * x.getWidth();
        }
        if (layer instanceof ConvolutionLayer c) {
            InputType.InputTypeConvolutional y = convolutional(index, out);
            return 2L * c.getKernelSize()[0] * c.getKernelSize()[1] * c.getNIn() * c.getNOut() * y.getHeight() * y.getWidth();
        }
        if (layer instanceof ActivationLayer) {
            return 0;
        }
        throw new IllegalArgumentException("layer " + index + " is a " + layer.getClass().getSimpleName()
                + ": expected DenseLayer, ConvolutionLayer, Deconvolution2D or ActivationLayer (the layers whose FLOPs"
                + " NetworkFlops counts)");
    }

    private static InputType.InputTypeConvolutional convolutional(int index, InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) {
            return c;
        }
        throw new IllegalStateException("layer " + index + ": expected a convolutional activation type, found " + t);
    }
}
