package chorus.models;

import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.config.Settings;
import chorus.data.config.SettingsException;
import chorus.models.nn.arch.Architecture;
import chorus.models.nn.arch.ConvLayout;
import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;

/**
 * How one modality is modelled: its networks' architecture and hidden sizes (and a conv network's strides and
 * paddings, {@code conv}, null when each layer halves the side), its likelihood weight
 * lambda, and its likelihood (the dataset's own unless overridden) with the fixed scale that Gaussian and
 * Laplace use. Read from {@code chorus.model.modalities.<name>}; absent entries take defaults by kind.
 */
public record ModalitySettings(Architecture arch, List<Integer> hidden, double weight, LikelihoodKind likelihood,
                               double scale, ConvLayout conv) {

    private static final Set<String> KEYS = Set.of("arch", "hidden", "weight", "likelihood", "scale", "strides",
            "paddings");

    /** Default scale of Gaussian/Laplace likelihoods (MMVAE's Laplace decoders use 0.75). */
    public static final double DEFAULT_SCALE = 0.75;

    public ModalitySettings {
        hidden = List.copyOf(hidden);
    }

    /** Settings whose conv layers (if any) each halve the side. */
    public ModalitySettings(Architecture arch, List<Integer> hidden, double weight, LikelihoodKind likelihood,
                            double scale) {
        this(arch, hidden, weight, likelihood, scale, null);
    }

    /** The layout of a conv network's layers: the configured strides and paddings, or null (each layer halves). */
    @Override
    public ConvLayout conv() {
        return conv;
    }

    /** The defaults for a modality: MLP for images, embedding for categorical/attributes, GRU for sequences, lambda 1. */
    public static ModalitySettings defaults(Modality m) {
        Architecture a = switch (m.kind()) {
            case IMAGE -> Architecture.MLP;
            case SEQUENCE -> Architecture.GRU;
            case CATEGORICAL, ATTRIBUTES -> Architecture.EMBEDDING;
        };
        return new ModalitySettings(a, a.defaultHidden(), 1.0, m.likelihood(), DEFAULT_SCALE);
    }

    /** Reads {@code <path>.<m.name()>} over the defaults for {@code m}; every key is optional. */
    public static ModalitySettings from(Config root, String path, Modality m) {
        ModalitySettings d = defaults(m);
        String p = path + "." + m.name();
        if (!root.hasPath(p)) {
            return d;
        }
        for (String key : root.getConfig(p).root().keySet()) {
            if (!KEYS.contains(key)) {
                throw new SettingsException("unknown key " + p + "." + key + " (" + Settings.origin(root, p + "." + key)
                        + "): a modality takes " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        Architecture arch = root.hasPath(p + ".arch")
                ? Settings.enumValue(root, p + ".arch", Architecture.class) : d.arch();
        List<Integer> hidden = root.hasPath(p + ".hidden") ? Settings.positiveInts(root, p + ".hidden")
                : (arch == d.arch() ? d.hidden() : arch.defaultHidden());
        double weight = root.hasPath(p + ".weight") ? Settings.doubleIn(root, p + ".weight", 0, 1e6, false) : d.weight();
        LikelihoodKind lik = root.hasPath(p + ".likelihood") ? likelihood(root, p + ".likelihood", m) : d.likelihood();
        double scale = root.hasPath(p + ".scale") ? Settings.doubleIn(root, p + ".scale", 1e-6, 1e6, false) : d.scale();
        return new ModalitySettings(arch, hidden, weight, lik, scale, layout(root, p, arch, hidden));
    }

    /**
     * {@code strides} and {@code paddings} of a conv modality: both or neither, one per convolution (hidden's size
     * minus one), strides 1 or 2 and paddings 0 or 1; null when absent.
     */
    private static ConvLayout layout(Config root, String p, Architecture arch, List<Integer> hidden) {
        boolean strides = root.hasPath(p + ".strides");
        boolean paddings = root.hasPath(p + ".paddings");
        if (!strides && !paddings) {
            return null;
        }
        String key = p + (strides ? ".strides" : ".paddings");
        if (arch != Architecture.CONV) {
            throw Settings.invalid(root, key, root.getValue(key).render(), "no strides or paddings: they lay out conv"
                    + " layers and this modality's arch is " + arch.configName());
        }
        if (strides != paddings) {
            throw Settings.invalid(root, key, root.getValue(key).render(), "strides and paddings together, one of each"
                    + " per convolution");
        }
        List<Integer> s = Settings.positiveInts(root, p + ".strides");
        List<Integer> pad = root.getIntList(p + ".paddings");
        int convs = hidden.size() - 1;
        if (s.size() != convs || pad.size() != convs) {
            throw Settings.invalid(root, p + ".strides", s + " with paddings " + pad, convs + " of each, one per"
                    + " convolution of hidden " + hidden + " ([c1, ..., cK, dense])");
        }
        try {
            return new ConvLayout(s, pad);
        } catch (IllegalArgumentException e) {
            throw Settings.invalid(root, p + ".strides", s + " with paddings " + pad, "strides of 1 or 2 and paddings"
                    + " of 0 or 1");
        }
    }

    /**
     * A single modality's likelihood kind: any but SEGMENTED, which only the concatenated model's joint modality has;
     * SEQUENCE for a sequence modality and for no other.
     */
    private static LikelihoodKind likelihood(Config root, String path, Modality m) {
        LikelihoodKind kind = Settings.enumValue(root, path, LikelihoodKind.class);
        boolean sequence = m.kind() == Modality.Kind.SEQUENCE;
        if (sequence != (kind == LikelihoodKind.SEQUENCE)) {
            throw Settings.invalid(root, path, "'" + root.getString(path) + "'", sequence
                    ? "sequence: '" + m.name() + "' is a token sequence, scored per position"
                    : "a likelihood other than sequence, which only sequence modalities take");
        }
        if (kind == LikelihoodKind.SEGMENTED) {
            throw Settings.invalid(root, path, "'" + root.getString(path) + "'",
                    "one of bernoulli, categorical, gaussian, laplace (segmented is the concatenated model's own)");
        }
        return kind;
    }
}
