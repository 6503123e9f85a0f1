package chorus.models.nn.arch;

import chorus.models.nn.Layers;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.Activation;

/**
 * Fully connected encoders and decoders: the MVAE MNIST image networks (Wu and Goodman, 2018),
 * 784-512-512 with Swish hidden units. Hidden widths are a list; the last layer is dense with
 * identity activation.
 */
public final class MlpNetworks {

    /** The MVAE MNIST hidden widths. */
    public static final List<Integer> MVAE_HIDDEN = List.of(512, 512);

    private MlpNetworks() {
    }

    /**
     * An encoder {@code [B, inputs] -> [B, 2*latent]}: columns {@code [0, latent)} are mu,
     * {@code [latent, 2*latent)} are logvar.
     */
    public static Network encoder(int inputs, List<Integer> hidden, int latent, NetworkOptions options) {
        Layers.requirePositive(latent, "mlp encoder latent size");
        return stack(inputs, hidden, 2 * latent, options, "mlp encoder");
    }

    /** A decoder {@code [B, latent] -> [B, outputs]} of likelihood parameters (logits or means). */
    public static Network decoder(int latent, List<Integer> hidden, int outputs, NetworkOptions options) {
        Layers.requirePositive(latent, "mlp decoder latent size");
        return stack(latent, hidden, outputs, options, "mlp decoder");
    }

    /** {@code inputs -> hidden... (Swish) -> outputs (identity)}. */
    static Network stack(int inputs, List<Integer> hidden, int outputs, NetworkOptions options, String what) {
        Layers.requirePositive(inputs, what + " input size");
        Layers.requirePositive(outputs, what + " output size");
        Layers.requireSizes(hidden, 0, what + " hidden sizes");
        NeuralNetConfiguration.ListBuilder list = Layers.list(options);
        for (int width : hidden) {
            list.layer(Layers.dense(width, Layers.HIDDEN));
        }
        MultiLayerConfiguration conf = list.layer(Layers.dense(outputs, Activation.IDENTITY))
                .setInputType(InputType.feedForward(inputs))
                .build();
        return Network.build(conf, inputs, outputs);
    }
}
