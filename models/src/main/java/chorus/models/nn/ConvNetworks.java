package chorus.models.nn;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.nd4j.linalg.activations.Activation;

/**
 * Convolutional image encoders and decoders: the MVAE Fashion-MNIST networks (Wu and Goodman, 2018).
 *
 * <p>{@code hidden = [c1, c2, dense]}, MVAE's is {@code [64, 128, 512]}. Encoder: conv c->c1 (4x4,
 * stride 2, pad 1, Swish), conv c1->c2 (same, Swish), dense {@code dense} (Swish), dense 2*latent
 * (identity): 28 -> 14 -> 7. Decoder: dense {@code dense} (Swish), dense c2*(h/4)*(w/4) (Swish),
 * transposed conv c2->c1 (4x4, stride 2, pad 1, Swish), transposed conv c1->outChannels (identity):
 * 7 -> 14 -> 28.
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

    private ConvNetworks() {
    }

    /**
     * An encoder {@code [B, channels*height*width] -> [B, 2*latent]}: columns {@code [0, latent)}
     * are mu, {@code [latent, 2*latent)} are logvar. Height and width must be divisible by 4.
     */
    public static Network encoder(int channels, int height, int width, List<Integer> hidden, int latent,
            NetworkOptions options) {
        checkImage(channels, height, width, hidden, "conv encoder");
        Layers.requirePositive(latent, "conv encoder latent size");
        MultiLayerConfiguration conf = Layers.list(options)
                .layer(Layers.halvingConv(hidden.get(0), Layers.HIDDEN)) // [B, c1, h/2, w/2]
                .layer(Layers.halvingConv(hidden.get(1), Layers.HIDDEN)) // [B, c2, h/4, w/4]
                .layer(Layers.dense(hidden.get(2), Layers.HIDDEN)) // [B, dense]
                .layer(Layers.dense(2 * latent, Activation.IDENTITY)) // [B, 2*latent]
                .setInputType(InputType.convolutionalFlat(height, width, channels))
                .build();
        return Network.build(conf, channels * height * width, 2 * latent);
    }

    /**
     * A decoder {@code [B, latent] -> [B, outChannels*height*width]} of per-pixel likelihood
     * parameters (e.g. Bernoulli logits with {@code outChannels} = image channels).
     */
    public static Network decoder(int latent, List<Integer> hidden, int outChannels, int height, int width,
            NetworkOptions options) {
        checkImage(outChannels, height, width, hidden, "conv decoder");
        Layers.requirePositive(latent, "conv decoder latent size");
        int c1 = hidden.get(0);
        int c2 = hidden.get(1);
        MultiLayerConfiguration conf = Layers.list(options)
                .layer(Layers.dense(hidden.get(2), Layers.HIDDEN)) // [B, dense]
                .layer(Layers.dense(c2 * (height / 4) * (width / 4), Layers.HIDDEN)) // [B, c2*h/4*w/4]
                .inputPreProcessor(2, new FeedForwardToCnnPreProcessor(height / 4, width / 4, c2))
                .layer(Layers.doublingDeconv(c1, Layers.HIDDEN)) // [B, c1, h/2, w/2]
                .layer(Layers.doublingDeconv(outChannels, Activation.IDENTITY)) // [B, out, h, w]
                .inputPreProcessor(4, new CnnToFeedForwardPreProcessor(height, width, outChannels))
                .layer(new ActivationLayer.Builder().activation(Activation.IDENTITY).build()) // [B, out*h*w]
                .setInputType(InputType.feedForward(latent))
                .build();
        return Network.build(conf, latent, outChannels * height * width);
    }

    private static void checkImage(int channels, int height, int width, List<Integer> hidden, String what) {
        Layers.requirePositive(channels, what + " channels");
        if (height < 4 || width < 4 || height % 4 != 0 || width % 4 != 0) {
            throw new IllegalArgumentException(what + ": image " + height + "x" + width
                    + ", expected height and width divisible by 4 (two stride-2 layers)");
        }
        if (hidden == null || hidden.size() != 3) {
            throw new IllegalArgumentException(what + " hidden sizes " + hidden
                    + ", expected exactly [c1, c2, dense], e.g. " + MVAE_HIDDEN);
        }
        Layers.requireSizes(hidden, 3, what + " hidden sizes [c1, c2, dense]");
    }
}
