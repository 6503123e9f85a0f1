package chorus.models.nn.cost;

import chorus.models.nn.Network;
import chorus.models.nn.kernel.Activations;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The memory a {@link Network} holds, counted in values (multiply by the data type's width) from its layer
 * shapes, as {@link NetworkFlops} counts its work. Per row of the batch a training pass keeps, in each
 * kernel's {@code Buffers}:
 * <ul>
 *   <li>a layer with parameters (Dense, Convolution, Deconvolution2D): {@code pre} (its output width), and with
 *       an activation other than identity also {@code out}, {@code sig} and {@code dPre} (3 more output widths),
 *       plus {@code dIn} (its input width) for the backward;</li>
 *   <li>an ActivationLayer (identity) or a reshape: nothing (views);</li>
 *   <li>the network itself: the copies of the output ({@link Network#forward}) and of dL/dx
 *       ({@link Network#backward}) that leave it: input width + output width.</li>
 * </ul>
 * An inference pass ({@link Network#output}) keeps {@code pre}, {@code out} and {@code sig} only. Besides
 * these, libnd4j's convolutions allocate their im2col columns per call, outside the arrays Java sees:
 * {@code kh kw cin outH outW} values per row for a convolution, {@code kh kw cout inH inW} for a transposed
 * one, twice in the backward (the columns and their gradient); they are freed when the op returns, so
 * only the largest layer's counts ({@link #nativePerRow}).
 */
public final class NetworkMemory {

    /** Buffers a non-identity layer keeps per output value in training: pre, out, sig, dPre. */
    static final int ACTIVATED_BUFFERS = 4;

    /**
     * Per-row values of one network.
     *
     * @param trainingPerRow  values the kernels and the network's copies keep per row of a training step
     * @param inferencePerRow values the kernels keep per row of an inference pass
     * @param nativePerRow    values of the largest per-call native temporary (im2col columns) per row
     */
    public record PerRow(long trainingPerRow, long inferencePerRow, long nativePerRow) {
    }

    private NetworkMemory() {
    }

    /** The per-row values of {@code network}, walked over its DL4J configuration's layer shapes. */
    public static PerRow perRow(Network network) {
        long training = network.inputSize() + network.outputSize();
        long inference = 0;
        long nativeMax = 0;
        for (LayerShapes.Shape shape : LayerShapes.of(network)) {
            Layer layer = shape.layer();
            if (layer instanceof ActivationLayer) {
                continue;
            }
            if (!(layer instanceof BaseLayer base)) {
                throw new IllegalArgumentException("layer " + shape.index() + " is a " + layer.getClass().getSimpleName()
                        + ": expected DenseLayer, ConvolutionLayer, Deconvolution2D or ActivationLayer (the layers whose"
                        + " memory NetworkMemory counts)");
            }
            long outWidth = shape.out().arrayElementsPerExample();
            boolean activated = Activations.of(base.getActivationFn()) != Activations.IDENTITY;
            training += (activated ? ACTIVATED_BUFFERS : 1) * outWidth + shape.in().arrayElementsPerExample();
            inference += (activated ? 3 : 1) * outWidth;
            nativeMax = Math.max(nativeMax, 2 * columns(layer, shape.in(), shape.out()));
        }
        return new PerRow(training, inference, nativeMax);
    }

    private static long columns(Layer layer, InputType in, InputType out) {
        if (layer instanceof Deconvolution2D d && in instanceof InputType.InputTypeConvolutional x) {
            return (long) d.getKernelSize()[0] * d.getKernelSize()[1] * d.getNOut() * x.getHeight() * x.getWidth();
        }
        if (layer instanceof ConvolutionLayer c && out instanceof InputType.InputTypeConvolutional y) {
            return (long) c.getKernelSize()[0] * c.getKernelSize()[1] * c.getNIn() * y.getHeight() * y.getWidth();
        }
        return 0;
    }
}
