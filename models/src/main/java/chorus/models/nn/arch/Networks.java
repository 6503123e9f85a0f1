package chorus.models.nn.arch;

import chorus.data.Modality;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.sequence.SequenceNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a modality's encoder or decoder by architecture name ({@code mlp}, {@code conv},
 * {@code embedding}, {@code gru}; see {@link Architecture}).
 *
 * <p>Encoders map {@code [B, modality size]} to {@code [B, 2*latent]}: the first {@code latent}
 * columns are mu, the last {@code latent} are logvar of the Gaussian expert q_m(z|x_m). Decoders map
 * {@code [B, latent]} to {@code [B, outputs]} likelihood parameters, where the caller (who knows
 * the likelihood) says how many; for {@code conv} they are {@code outputs / (h*w)} maps of h x w.
 * The meaning of {@code hidden} is the builder's: widths for mlp and embedding, {@code [c1, c2,
 * dense]} for conv.
 */
public final class Networks {

    private Networks() {
    }

    /** The encoder x_m -> (mu, logvar) of modality {@code m}. */
    public static Network encoder(Modality m, String arch, int latent, List<Integer> hidden, NetworkOptions opts) {
        return encoder(m, arch, latent, hidden, null, opts);
    }

    /** As above; {@code layout} lays out a {@code conv} network's layers (null: every layer halves the side). */
    public static Network encoder(Modality m, String arch, int latent, List<Integer> hidden, ConvLayout layout,
            NetworkOptions opts) {
        Objects.requireNonNull(m, "modality");
        Objects.requireNonNull(opts, "network options");
        Architecture a = parse(m, arch);
        return switch (a) {
            case MLP -> MlpNetworks.encoder(m.size(), hidden, latent, opts);
            case CONV -> {
                int[] s = imageShape(m, a);
                yield ConvNetworks.encoder(s[0], s[1], s[2], hidden, layout(hidden, layout), latent, opts);
            }
            case EMBEDDING -> EmbeddingNetworks.encoder(classes(m, a), hidden, latent, opts);
            case GRU -> {
                int[] s = sequenceShape(m, a);
                yield SequenceNetworks.encoder(s[0], s[1], hidden, latent, opts);
            }
        };
    }

    /** The decoder z -> likelihood parameters of modality {@code m}, {@code outputs} of them per row. */
    public static Network decoder(Modality m, String arch, int latent, List<Integer> hidden, int outputs,
            NetworkOptions opts) {
        return decoder(m, arch, latent, hidden, null, outputs, opts);
    }

    /** As above; {@code layout} lays out a {@code conv} network's layers (null: every layer halves the side). */
    public static Network decoder(Modality m, String arch, int latent, List<Integer> hidden, ConvLayout layout,
            int outputs, NetworkOptions opts) {
        Objects.requireNonNull(m, "modality");
        Objects.requireNonNull(opts, "network options");
        Architecture a = parse(m, arch);
        return switch (a) {
            case MLP -> MlpNetworks.decoder(latent, hidden, outputs, opts);
            case CONV -> {
                int[] s = imageShape(m, a);
                int pixels = s[1] * s[2];
                if (outputs < pixels || outputs % pixels != 0) {
                    throw fail(m, a, outputs + " outputs, expected a multiple of height*width = " + pixels
                            + " (one map per likelihood parameter and channel)");
                }
                yield ConvNetworks.decoder(latent, hidden, layout(hidden, layout), outputs / pixels, s[1], s[2], opts);
            }
            case EMBEDDING -> EmbeddingNetworks.decoder(latent, hidden, outputs, opts);
            case GRU -> {
                int[] s = sequenceShape(m, a);
                if (outputs != m.size()) {
                    throw fail(m, a, outputs + " outputs, expected one logit per position and token = " + m.size());
                }
                yield SequenceNetworks.decoder(latent, s[0], s[1], hidden, opts);
            }
        };
    }

    private static Architecture parse(Modality m, String arch) {
        try {
            return Architecture.parse(arch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("modality " + m + ": " + e.getMessage(), e);
        }
    }

    /** [channels, height, width] of an image modality. */
    private static int[] imageShape(Modality m, Architecture a) {
        int[] s = m.shape();
        if (m.kind() != Modality.Kind.IMAGE || s.length != 3) {
            throw fail(m, a, "needs an IMAGE modality of shape [channels, height, width]");
        }
        return s;
    }

    private static ConvLayout layout(List<Integer> hidden, ConvLayout layout) {
        if (layout != null) {
            return layout;
        }
        if (hidden == null || hidden.size() < 2) {
            throw new IllegalArgumentException("conv hidden sizes " + hidden + ", expected [c1, ..., cK, dense] with"
                    + " at least one convolution, e.g. " + ConvNetworks.MVAE_HIDDEN);
        }
        return ConvLayout.halving(hidden.size() - 1);
    }

    /** [length, vocabulary] of a SEQUENCE modality. */
    private static int[] sequenceShape(Modality m, Architecture a) {
        if (m.kind() != Modality.Kind.SEQUENCE || m.shape().length != 2) {
            throw fail(m, a, "needs a SEQUENCE modality of shape [length, vocabulary]");
        }
        return m.shape();
    }

    private static int classes(Modality m, Architecture a) {
        boolean ok = (m.kind() == Modality.Kind.CATEGORICAL || m.kind() == Modality.Kind.ATTRIBUTES)
                && m.shape().length == 1;
        if (!ok) {
            throw fail(m, a, "needs a CATEGORICAL or ATTRIBUTES modality of shape [classes]");
        }
        return m.shape()[0];
    }

    /** The architectures that can be built for {@code m}, by configuration name. */
    public static List<String> allowed(Modality m) {
        List<String> names = new ArrayList<>(List.of(Architecture.MLP.configName()));
        int[] s = m.shape();
        if (m.kind() == Modality.Kind.SEQUENCE && s.length == 2) {
            names.add(Architecture.GRU.configName());
        }
        if (m.kind() == Modality.Kind.IMAGE && s.length == 3) {
            names.add(Architecture.CONV.configName());
        }
        if ((m.kind() == Modality.Kind.CATEGORICAL || m.kind() == Modality.Kind.ATTRIBUTES) && s.length == 1) {
            names.add(Architecture.EMBEDDING.configName());
        }
        return List.copyOf(names);
    }

    private static IllegalArgumentException fail(Modality m, Architecture a, String why) {
        return new IllegalArgumentException("modality " + m + ", architecture '" + a.configName() + "': " + why
                + "; allowed for this modality: " + String.join(", ", allowed(m)));
    }
}
