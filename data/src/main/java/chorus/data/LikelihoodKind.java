package chorus.data;

/** The family of p(x_m | z) a modality is modelled with; models/ holds the formulas. */
public enum LikelihoodKind {
    /** Independent Bernoulli per element, from logits (pixels in [0,1]). */
    BERNOULLI,
    /** One categorical over the last dimension, from logits (labels, characters). */
    CATEGORICAL,
    /** Independent Gaussian per element with a fixed scale (real-valued images). */
    GAUSSIAN,
    /** Independent Laplace per element with a fixed scale (MMVAE's image likelihood). */
    LAPLACE,
    /**
     * A categorical per position of a token sequence {@code [length, vocabulary]}, stored one-hot, whose last
     * token is padding: positions after the first padding token are not scored (the first one is: it ends
     * the sequence).
     */
    SEQUENCE,
    /**
     * Several modalities side by side, each segment scored with its own likelihood and weight: the one
     * joint modality of the vanilla VAE on concatenated modalities. Its segments come from the modalities
     * it concatenates (models/ builds it from them), so it is not a choice for a single modality.
     */
    SEGMENTED
}
