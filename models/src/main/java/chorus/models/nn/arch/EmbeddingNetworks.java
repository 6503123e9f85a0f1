package chorus.models.nn.arch;

import chorus.models.nn.Layers;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import java.util.List;

/**
 * Encoders and decoders for categorical and attribute modalities, as MVAE's label networks.
 *
 * <p>The input is one-hot (or multi-hot for attributes) {@code [B, classes]}. The first dense
 * layer on a one-hot row selects one weight row plus the bias: it is an embedding table. It is
 * kept as a dense layer rather than DL4J's EmbeddingLayer because that layer takes class indices
 * and returns no input gradient, while Chorus needs dL/dx and accepts multi-hot attribute rows.
 * Encoder: classes -> hidden (Swish) -> hidden (Swish) -> 2*latent; decoder: latent -> hidden
 * (Swish) -> hidden (Swish) -> class logits (identity).
 */
public final class EmbeddingNetworks {

    /** MVAE's label-network widths: a 512-wide embedding and one 512-wide hidden layer. */
    public static final List<Integer> MVAE_HIDDEN = List.of(512, 512);

    private EmbeddingNetworks() {
    }

    /**
     * An encoder {@code [B, classes] -> [B, 2*latent]}: columns {@code [0, latent)} are mu,
     * {@code [latent, 2*latent)} are logvar. {@code hidden.get(0)} is the embedding width.
     */
    public static Network encoder(int classes, List<Integer> hidden, int latent, NetworkOptions options) {
        Layers.requirePositive(latent, "embedding encoder latent size");
        Layers.requireSizes(hidden, 1, "embedding encoder hidden sizes");
        return MlpNetworks.stack(classes, hidden, 2 * latent, options, "embedding encoder");
    }

    /** A decoder {@code [B, latent] -> [B, classes]} of logits. */
    public static Network decoder(int latent, List<Integer> hidden, int classes, NetworkOptions options) {
        Layers.requirePositive(latent, "embedding decoder latent size");
        Layers.requireSizes(hidden, 1, "embedding decoder hidden sizes");
        return MlpNetworks.stack(latent, hidden, classes, options, "embedding decoder");
    }
}
