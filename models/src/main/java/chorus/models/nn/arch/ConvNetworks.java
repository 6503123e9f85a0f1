package chorus.models.nn.arch;

import chorus.models.nn.Layers;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.activations.Activation;

/**
 * Convolutional image encoders and decoders of any depth: the MVAE reference's image networks (Wu and
 * Goodman, 2018) for Fashion-MNIST (two layers), MultiMNIST and CelebA (four).
 *
 * <p>{@code hidden = [c1, ..., cK, dense]} with K &gt;= 1 convolutions laid out by a {@link ConvLayout}
 * (default: each 4x4, stride 2, padding 1). MVAE's Fashion-MNIST sizes are {@code [64, 128, 512]}; its
 * MultiMNIST and CelebA ones {@code [32, 64, 128, 256, 512]} with strides {@code [2, 2, 2, 2]} and paddings
 * {@code [1, 1, 1, 0]} (50 -> 25 -> 12 -> 6 -> 2) and strides {@code [2, 2, 2, 1]}, paddings {@code [1, 1, 1, 0]}
 * (64 -> 32 -> 16 -> 8 -> 5). Encoder: the convolutions (Swish), dense {@code dense} (Swish), dense 2*latent
 * (identity). Decoder: dense {@code dense} (Swish), dense cK*hK*wK (Swish), then transposed convolutions
 * mirroring the encoder (Swish, the last identity) back to exactly h x w. Differences from the reference's
 * deeper nets: no batch normalisation and no dropout; its decoders have no {@code dense} hidden layer
 * (latent -> cK*hK*wK directly), Chorus's mirror the encoder's.
 *
 * <p>Both sides speak flattened images {@code [B, C*H*W]} in row-major C, H, W order, the order of
 * the data. The encoder's input is unflattened by the preprocessor DL4J inserts for
 * {@code InputType.convolutionalFlat}; the decoder ends in an identity {@link ActivationLayer}
 * behind a {@link CnnToFeedForwardPreProcessor}, so its 4-D logits leave flattened in the same
 * order and its external error enters the same way (DL4J has no parameter-free flatten layer).
 */
public final class ConvNetworks {

    /** The MVAE Fashion-MNIST sizes: conv channels 64 and 128, then a 512-wide dense layer. */
    public static final List<Integer> MVAE_HIDDEN = List.of(64, 128, 512);
    /** The MVAE MultiMNIST and CelebA sizes: conv channels 32, 64, 128 and 256, then a 512-wide dense layer. */
    public static final List<Integer> MVAE_DEEP_HIDDEN = List.of(32, 64, 128, 256, 512);

    private ConvNetworks() {
    }

    /** As {@link #encoder(int, int, int, List, ConvLayout, int, NetworkOptions)} with halving layers. */
    public static Network encoder(int channels, int height, int width, List<Integer> hidden, int latent,
            NetworkOptions options) {
        return encoder(channels, height, width, hidden, ConvLayout.halving(convs(hidden, "conv encoder")), latent, options);
    }

    /**
     * An encoder {@code [B, channels*height*width] -> [B, 2*latent]}: columns {@code [0, latent)}
     * are mu, {@code [latent, 2*latent)} are logvar.
     */
    public static Network encoder(int channels, int height, int width, List<Integer> hidden, ConvLayout layout,
            int latent, NetworkOptions options) {
        check(channels, height, width, hidden, layout, "conv encoder");
        Layers.requirePositive(latent, "conv encoder latent size");
        NeuralNetConfiguration.ListBuilder list = Layers.list(options);
        for (int i = 0; i < layout.layers(); i++) {
            list.layer(new ConvolutionLayer.Builder(ConvLayout.KERNEL, ConvLayout.KERNEL)
                    .stride(layout.strides().get(i), layout.strides().get(i))
                    .padding(layout.paddings().get(i), layout.paddings().get(i))
                    .convolutionMode(ConvolutionMode.Truncate)
                    .nOut(hidden.get(i)).activation(Layers.HIDDEN).build()); // [B, c_i, h_i, w_i]
        }
        MultiLayerConfiguration conf = list
                .layer(Layers.dense(hidden.get(layout.layers()), Layers.HIDDEN)) // [B, dense]
                .layer(Layers.dense(2 * latent, Activation.IDENTITY)) // [B, 2*latent]
                .setInputType(InputType.convolutionalFlat(height, width, channels))
                .build();
        return Network.build(conf, channels * height * width, 2 * latent);
    }

    /** As {@link #decoder(int, List, ConvLayout, int, int, int, NetworkOptions)} with halving layers. */
    public static Network decoder(int latent, List<Integer> hidden, int outChannels, int height, int width,
            NetworkOptions options) {
        return decoder(latent, hidden, ConvLayout.halving(convs(hidden, "conv decoder")), outChannels, height, width,
                options);
    }

    /**
     * A decoder {@code [B, latent] -> [B, outChannels*height*width]} of per-pixel likelihood
     * parameters (e.g. Bernoulli logits with {@code outChannels} = image channels), mirroring the encoder of
     * the same {@code hidden} and {@code layout}.
     */
    public static Network decoder(int latent, List<Integer> hidden, ConvLayout layout, int outChannels, int height,
            int width, NetworkOptions options) {
        check(outChannels, height, width, hidden, layout, "conv decoder");
        Layers.requirePositive(latent, "conv decoder latent size");
        int k = layout.layers();
        List<Integer> hs = layout.sides(height, "conv decoder height");
        List<Integer> ws = layout.sides(width, "conv decoder width");
        NeuralNetConfiguration.ListBuilder list = Layers.list(options)
                .layer(Layers.dense(hidden.get(k), Layers.HIDDEN)) // [B, dense]
                .layer(Layers.dense(hidden.get(k - 1) * hs.get(k) * ws.get(k), Layers.HIDDEN)) // [B, cK*hK*wK]
                .inputPreProcessor(2, new FeedForwardToCnnPreProcessor(hs.get(k), ws.get(k), hidden.get(k - 1)));
        for (int i = k - 1; i >= 0; i--) {
            int s = layout.strides().get(i);
            int p = layout.paddings().get(i);
            list.layer(new Deconvolution2D.Builder(layout.transposedKernel(i, hs.get(i), hs.get(i + 1)),
                    layout.transposedKernel(i, ws.get(i), ws.get(i + 1)))
                    .stride(s, s).padding(p, p).convolutionMode(ConvolutionMode.Truncate)
                    .nOut(i == 0 ? outChannels : hidden.get(i - 1))
                    .activation(i == 0 ? Activation.IDENTITY : Layers.HIDDEN).build()); // [B, c_{i-1}, h_i, w_i]
        }
        MultiLayerConfiguration conf = list
                .inputPreProcessor(2 + k, new CnnToFeedForwardPreProcessor(height, width, outChannels))
                .layer(new ActivationLayer.Builder().activation(Activation.IDENTITY).build()) // [B, out*h*w]
                .setInputType(InputType.feedForward(latent))
                .build();
        return Network.build(conf, latent, outChannels * height * width);
    }

    private static int convs(List<Integer> hidden, String what) {
        if (hidden == null || hidden.size() < 2) {
            throw new IllegalArgumentException(what + " hidden sizes " + hidden
                    + ", expected [c1, ..., cK, dense] with at least one convolution, e.g. " + MVAE_HIDDEN);
        }
        return hidden.size() - 1;
    }

    private static void check(int channels, int height, int width, List<Integer> hidden, ConvLayout layout,
            String what) {
        Layers.requirePositive(channels, what + " channels");
        Layers.requireSizes(hidden, 2, what + " hidden sizes [c1, ..., cK, dense]");
        if (hidden.size() != layout.layers() + 1) {
            throw new IllegalArgumentException(what + " hidden sizes " + hidden + " for " + layout.layers()
                    + " convolutions, expected [c1, ..., cK, dense] with K = " + layout.layers()
                    + " (one stride and padding per convolution)");
        }
        layout.sides(height, what + " height");
        layout.sides(width, what + " width");
    }
}
