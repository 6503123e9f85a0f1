package chorus.models.nn;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/** The layer vocabulary the builders share, so every network gets the same seed, type, init and Adam. */
public final class Layers {

    /** Hidden activation of every reference model (MVAE uses Swish throughout). */
    public static final Activation HIDDEN = Activation.SWISH;

    private Layers() {
    }

    /** A layer list carrying the options: seed, data type, weight init and Adam(learning rate). */
    public static NeuralNetConfiguration.ListBuilder list(NetworkOptions o) {
        return new NeuralNetConfiguration.Builder()
                .seed(o.seed())
                .dataType(o.dataType())
                .weightInit(o.weightInit())
                .updater(new Adam(o.learningRate()))
                .list();
    }

    /** A fully connected layer; nIn comes from the configuration's input type. */
    public static DenseLayer dense(int nOut, Activation activation) {
        return new DenseLayer.Builder().nOut(nOut).activation(activation).build();
    }

    /** A 4x4 convolution with stride 2 and padding 1: halves height and width (28 -> 14 -> 7). */
    public static ConvolutionLayer halvingConv(int channelsOut, Activation activation) {
        return new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate)
                .nOut(channelsOut).activation(activation).build();
    }

    /** A 4x4 transposed convolution with stride 2 and padding 1: doubles height and width (7 -> 14 -> 28). */
    public static Deconvolution2D doublingDeconv(int channelsOut, Activation activation) {
        return new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate)
                .nOut(channelsOut).activation(activation).build();
    }

    /** Throws unless {@code value >= 1}, naming what it is. */
    public static void requirePositive(int value, String what) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " " + value + ", expected >= 1");
        }
    }

    /** Throws unless there are at least {@code min} sizes, each >= 1. */
    public static void requireSizes(List<Integer> sizes, int min, String what) {
        if (sizes == null || sizes.size() < min || sizes.stream().anyMatch(s -> s == null || s < 1)) {
            throw new IllegalArgumentException(what + " " + sizes + ", expected "
                    + (min > 0 ? "at least " + min + " sizes" : "a list of sizes") + ", each >= 1");
        }
    }
}
