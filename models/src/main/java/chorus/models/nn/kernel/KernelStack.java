package chorus.models.nn.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's forward and backward passes run by Chorus's own {@link Kernel}s instead of DL4J's
 * layers: the same parameters (views of the {@link MultiLayerNetwork}'s flat array, so DL4J still
 * initialises them, applies Adam and checkpoints read the same layout), the same mathematics, but
 * libnd4j's convolution ops and matmuls into buffers reused from step to step. DL4J's own
 * convolution layer copies and permutes its activations on every call (the profile of the
 * Fashion-MNIST conv step spent a third of its time in those copies and in page faults).
 *
 * <p>{@link #of} returns null for a network with any layer, activation or option this stack does
 * not implement, and {@link chorus.models.nn.Network} then keeps DL4J's path.
 */
public final class KernelStack {

    private final List<Kernel> kernels;
    private final List<String> labels; // per kernel: "index Type" of its DL4J layer, null for a reshape
    private final int firstWithParams;  // the first kernel that is a layer (not a reshape)
    private LayerProfile profile;      // null: not timed
    private String prefix;

    private KernelStack(List<Kernel> kernels, List<String> labels) {
        this.kernels = List.copyOf(kernels);
        this.labels = new ArrayList<>(labels);
        int first = 0;
        while (first < labels.size() && labels.get(first) == null) {
            first++;
        }
        this.firstWithParams = first;
    }

    /** The stack equal to {@code net}, or null if some layer is not supported. */
    public static KernelStack of(MultiLayerNetwork net) {
        if (net.getGradientsViewArray() == null) {
            throw new IllegalArgumentException("kernels need the network's gradient view: call initGradientsView() first");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        List<Kernel> kernels = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        long[] shape = null; // one row's current shape when 4-D ([C, H, W]); null while 2-D
        for (int i = 0; i < net.getnLayers(); i++) {
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre instanceof FeedForwardToCnnPreProcessor p) {
                shape = new long[] {p.getNumChannels(), p.getInputHeight(), p.getInputWidth()};
                kernels.add(new Reshape(new long[] {shape[0] * shape[1] * shape[2]}, shape));
                labels.add(null);
            } else if (pre instanceof CnnToFeedForwardPreProcessor p && p.getFormat() == CNN2DFormat.NCHW) {
                long[] cnn = {p.getNumChannels(), p.getInputHeight(), p.getInputWidth()};
                kernels.add(new Reshape(cnn, new long[] {cnn[0] * cnn[1] * cnn[2]}));
                labels.add(null);
                shape = null;
            } else if (pre != null) {
                return null;
            }
            Layer layer = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer lc = layer.conf().getLayer();
            if (lc.getIDropout() != null) {
                return null;
            }
            if (lc instanceof ActivationLayer a) {
                if (Activations.of(a.getActivationFn()) != Activations.IDENTITY) {
                    return null;
                }
                continue;
            }
            if (!(lc instanceof BaseLayer base) || Activations.of(base.getActivationFn()) == null
                    || !base.getRegularization().isEmpty() || !base.getRegularizationBias().isEmpty()) {
                return null;
            }
            Activations act = Activations.of(base.getActivationFn());
            Map<String, INDArray> grads = lc.initializer().getGradientsFromFlattened(layer.conf(),
                    layer.getGradientsViewArray());
            if (lc instanceof DenseLayer d && shape == null && d.hasBias() && !d.hasLayerNorm()) {
                kernels.add(new DenseKernel(layer.getParam("W"), layer.getParam("b"), grads.get("W"), grads.get("b"), act));
                labels.add(i + " " + lc.getClass().getSimpleName());
            } else if (lc instanceof ConvolutionLayer c && shape != null && supported(c)) {
                boolean transposed = c instanceof Deconvolution2D;
                ConvKernel.Geometry g = new ConvKernel.Geometry(c.getKernelSize()[0], c.getKernelSize()[1],
                        c.getStride()[0], c.getStride()[1], c.getPadding()[0], c.getPadding()[1],
                        shape[0], shape[1], shape[2], c.getNOut());
                if (c.getNIn() != shape[0]) {
                    return null;
                }
                kernels.add(new ConvKernel(transposed, g, layer.getParam("W"), layer.getParam("b"),
                        grads.get("W"), grads.get("b"), act));
                labels.add(i + " " + lc.getClass().getSimpleName());
                shape = new long[] {c.getNOut(), g.outH(transposed), g.outW(transposed)};
            } else {
                return null;
            }
        }
        return shape == null ? new KernelStack(kernels, labels) : null; // the network's output must be 2-D
    }

    private static boolean supported(ConvolutionLayer c) {
        boolean plain = c.getClass() == ConvolutionLayer.class || c.getClass() == Deconvolution2D.class;
        return plain && c.hasBias() && c.getConvolutionMode() == ConvolutionMode.Truncate
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1;
    }

    /** Training forward of {@code x [B, in]}, each layer's rows split over {@code par} ('c', contiguous); the result is the last kernel's buffer. */
    public INDArray forward(INDArray x, IntraOp par) {
        INDArray a = x;
        for (int i = 0; i < kernels.size(); i++) {
            long t0 = System.nanoTime();
            a = kernels.get(i).forward(a, par);
            record(i, false, t0);
        }
        return a;
    }

    /**
     * Backward of {@code dOut [B, out]} through the last forward; parameter gradients land in the
     * network's gradient view.
     *
     * @param inputGradient whether dL/dx is wanted; if not, the first layer may skip it
     * @return dL/dx {@code [B, in]}, a kernel buffer; null when not wanted
     */
    public INDArray backward(INDArray dOut, IntraOp par, boolean inputGradient) {
        INDArray d = dOut;
        for (int i = kernels.size() - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            d = kernels.get(i).backward(d, inputGradient || i > firstWithParams, par);
            record(i, true, t0);
        }
        return d;
    }

    /**
     * Times every layer's forward and backward into {@code into} under {@code name/index Type} (the
     * labels {@link chorus.models.nn.cost.NetworkFlops} gives the same layers); null stops timing.
     */
    public void profile(String name, LayerProfile into) {
        this.prefix = name;
        this.profile = into;
    }

    /** The kernels in order. */
    List<Kernel> kernels() {
        return kernels;
    }

    private void record(int kernel, boolean backward, long startNanos) {
        if (profile != null && labels.get(kernel) != null) {
            profile.record(prefix + "/" + labels.get(kernel), backward, System.nanoTime() - startNanos);
        }
    }
}
