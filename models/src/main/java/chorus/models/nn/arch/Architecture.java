package chorus.models.nn.arch;

import chorus.models.nn.sequence.SequenceNetworks;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The network families {@link Networks} builds, by their configuration names. */
public enum Architecture {
    /** Fully connected ({@link MlpNetworks}); any modality, flattened. */
    MLP(MlpNetworks.MVAE_HIDDEN),
    /** Convolutional ({@link ConvNetworks}); image modalities. */
    CONV(ConvNetworks.MVAE_HIDDEN),
    /** Dense-on-one-hot ({@link EmbeddingNetworks}); categorical and attribute modalities. */
    EMBEDDING(EmbeddingNetworks.MVAE_HIDDEN),
    /** Recurrent ({@link SequenceNetworks}): embedding and GRU; sequence modalities. */
    GRU(SequenceNetworks.MVAE_HIDDEN);

    private final List<Integer> defaultHidden;

    Architecture(List<Integer> defaultHidden) {
        this.defaultHidden = defaultHidden;
    }

    /** The configuration name: {@code mlp}, {@code conv}, {@code embedding} or {@code gru}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reference model's hidden sizes for this family (see each builder for their meaning). */
    public List<Integer> defaultHidden() {
        return defaultHidden;
    }

    /** The architecture named {@code name}; the error lists the names allowed. */
    public static Architecture parse(String name) {
        for (Architecture a : values()) {
            if (a.configName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown network architecture '" + name + "', expected one of "
                + Arrays.stream(values()).map(Architecture::configName).collect(Collectors.joining(", ")));
    }
}
