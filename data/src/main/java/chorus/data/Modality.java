package chorus.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One observed view of an example: its name (a config key, e.g. {@code image}), kind, the shape of
 * one row (without the batch dimension) and the likelihood its decoder is scored with.
 *
 * <p>A categorical modality has shape {@code [classes]} and is stored one-hot; an image has shape
 * {@code [channels, height, width]} with values in [0, 1]. A sequence has shape {@code [length,
 * vocabulary]} and is stored one-hot, position after position; its last token ({@code vocabulary - 1}) is
 * padding, which fills the positions after the sequence's end.
 */
public record Modality(String name, Kind kind, int[] shape, LikelihoodKind likelihood) {

    /** What a modality is, which decides the networks built for it. */
    public enum Kind { IMAGE, CATEGORICAL, ATTRIBUTES, SEQUENCE }

    public Modality {
        Objects.requireNonNull(name, "modality name");
        Objects.requireNonNull(kind, "modality kind");
        Objects.requireNonNull(likelihood, "modality likelihood");
        if (!name.matches("[a-zA-Z][a-zA-Z0-9_-]*")) {
            throw new IllegalArgumentException("modality name '" + name
                    + "': expected a letter followed by letters, digits, '_' or '-'");
        }
        if (shape == null || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("modality '" + name + "': shape " + Arrays.toString(shape)
                    + ", expected one or more positive dimensions");
        }
        if (kind == Kind.IMAGE && shape.length != 3) {
            throw new IllegalArgumentException("image modality '" + name + "': shape " + Arrays.toString(shape)
                    + ", expected [channels, height, width]");
        }
        if (likelihood == LikelihoodKind.CATEGORICAL && shape.length != 1) {
            throw new IllegalArgumentException("categorical modality '" + name + "': shape "
                    + Arrays.toString(shape) + ", expected [classes]");
        }
        if ((kind == Kind.SEQUENCE || likelihood == LikelihoodKind.SEQUENCE)
                && (kind != Kind.SEQUENCE || shape.length != 2 || shape[1] < 2)) {
            throw new IllegalArgumentException("sequence modality '" + name + "' (" + kind + ", " + likelihood
                    + "): shape " + Arrays.toString(shape) + ", expected kind SEQUENCE of shape [length, vocabulary]"
                    + " with vocabulary >= 2 (the tokens and padding)");
        }
        shape = shape.clone();
    }

    /** A token sequence of {@code length} positions over {@code vocabulary} tokens, the last being padding. */
    public static Modality sequence(String name, int length, int vocabulary) {
        return new Modality(name, Kind.SEQUENCE, new int[] {length, vocabulary}, LikelihoodKind.SEQUENCE);
    }

    /** The padding token of a sequence modality: the last of its vocabulary. */
    public int paddingToken() {
        if (kind != Kind.SEQUENCE) {
            throw new IllegalStateException("modality " + this + " is not a sequence: it has no padding token");
        }
        return shape[1] - 1;
    }

    /** A one-hot categorical modality with {@code classes} values. */
    public static Modality categorical(String name, int classes) {
        return new Modality(name, Kind.CATEGORICAL, new int[] {classes}, LikelihoodKind.CATEGORICAL);
    }

    /** An image modality {@code [channels, height, width]} in [0, 1]. */
    public static Modality image(String name, int channels, int height, int width, LikelihoodKind likelihood) {
        return new Modality(name, Kind.IMAGE, new int[] {channels, height, width}, likelihood);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The index of the modality named {@code name} in {@code modalities}; the error names {@code where} and
     * the modalities there are.
     */
    public static int indexOf(java.util.List<Modality> modalities, String name, String where) {
        for (int i = 0; i < modalities.size(); i++) {
            if (modalities.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no modality '" + name + "' in " + where + "; it has "
                + modalities.stream().map(Modality::name).toList());
    }

    /** Number of values in one row: the product of the shape. */
    public int size() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Modality m && name.equals(m.name) && kind == m.kind
                && Arrays.equals(shape, m.shape) && likelihood == m.likelihood;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, Arrays.hashCode(shape), likelihood);
    }

    @Override
    public String toString() {
        return name + "(" + kind.name().toLowerCase() + " " + Arrays.toString(shape) + ", "
                + likelihood.name().toLowerCase() + ")";
    }
}
