package chorus.models.nn.sequence;

import chorus.models.nn.Layers;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Recurrent networks for token sequences of {@code length} positions over a {@code vocabulary} (padding
 * included), stored one-hot position-major {@code [B, length*vocabulary]}: the MVAE reference's MultiMNIST
 * text networks (Wu &amp; Goodman 2018, multimnist/model.py). {@code hidden = [embedding, gru]}, the
 * reference's is {@code [200, 200]}.
 *
 * <p>Encoder ({@link SequenceEncoderPasses}): embedding, bidirectional GRU, both last states to
 * {@code 2*latent}. Decoder ({@link SequenceDecoderPasses}): z sets the initial state of a two-layer GRU
 * that reads swish(embedding of the previous token) beside z, and [state | z] gives each position's
 * logits; it is teacher-forced, reading {@code [z | x]} ({@link Network#targetWidth()} = length*vocabulary),
 * and decodes greedily where no x is given ({@link chorus.models.objective.DecoderInput#greedy}). Both run
 * on Chorus's own GRU kernels ({@link GruLayer}, backpropagation through time by hand) over parameter blocks
 * held by a DL4J container ({@link ParamBlocks}), so they checkpoint, copy and train like every network.
 * Differences from the reference: the encoder joins its two last states side by side (the reference sums
 * the two directions' outputs at the last position); no dropout.
 */
public final class SequenceNetworks {

    /** The reference's sizes: a 200-wide embedding and 200 GRU units. */
    public static final List<Integer> MVAE_HIDDEN = List.of(200, 200);
    /** GRU layers of the decoder, as the reference's. */
    static final int DECODER_LAYERS = 2;

    private SequenceNetworks() {
    }

    /** An encoder {@code [B, length*vocabulary] -> [B, 2*latent]} ({@code [mu | logvar]}). */
    public static Network encoder(int length, int vocabulary, List<Integer> hidden, int latent, NetworkOptions options) {
        check(length, vocabulary, hidden, latent, "gru encoder");
        int e = hidden.get(0);
        int h = hidden.get(1);
        List<ParamBlocks.Spec> specs = new ArrayList<>(List.of(new ParamBlocks.Spec(vocabulary, e, false)));
        for (int direction = 0; direction < 2; direction++) {
            specs.add(new ParamBlocks.Spec(e, 3 * h, true));
            specs.add(new ParamBlocks.Spec(h, 3 * h, true));
        }
        specs.add(new ParamBlocks.Spec(2 * h, 2 * latent, true));
        MultiLayerNetwork net = ParamBlocks.build(specs, options);
        return new Network(net, length * vocabulary, 2 * latent,
                n -> new SequenceEncoderPasses(n, length, vocabulary), 0);
    }

    /** A teacher-forced decoder {@code [B, latent + length*vocabulary] -> [B, length*vocabulary]} of logits. */
    public static Network decoder(int latent, int length, int vocabulary, List<Integer> hidden, NetworkOptions options) {
        check(length, vocabulary, hidden, latent, "gru decoder");
        int e = hidden.get(0);
        int h = hidden.get(1);
        List<ParamBlocks.Spec> specs = new ArrayList<>(List.of(
                new ParamBlocks.Spec(vocabulary + 1, e, false), // row `vocabulary`: the start token
                new ParamBlocks.Spec(latent, h, true)));
        for (int layer = 0; layer < DECODER_LAYERS; layer++) {
            specs.add(new ParamBlocks.Spec(layer == 0 ? e + latent : h, 3 * h, true));
            specs.add(new ParamBlocks.Spec(h, 3 * h, true));
        }
        specs.add(new ParamBlocks.Spec(h + latent, vocabulary, true));
        MultiLayerNetwork net = ParamBlocks.build(specs, options);
        int width = length * vocabulary;
        return new Network(net, latent + width, width,
                n -> new SequenceDecoderPasses(n, latent, length, vocabulary), width);
    }

    private static void check(int length, int vocabulary, List<Integer> hidden, int latent, String what) {
        Layers.requirePositive(length, what + " sequence length");
        if (vocabulary < 2) {
            throw new IllegalArgumentException(what + " vocabulary " + vocabulary + ", expected >= 2 (tokens and padding)");
        }
        Layers.requirePositive(latent, what + " latent size");
        if (hidden == null || hidden.size() != 2) {
            throw new IllegalArgumentException(what + " hidden sizes " + hidden + ", expected exactly [embedding, gru],"
                    + " e.g. " + MVAE_HIDDEN);
        }
        Layers.requireSizes(hidden, 2, what + " hidden sizes [embedding, gru]");
    }
}
