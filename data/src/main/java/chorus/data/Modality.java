package chorus.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One observed view of an example: its name (a config key, e.g. {@code image}), kind, the shape of
 * one row (without the batch dimension) and the likelihood its decoder is scored with.
 *
 * <p>A categorical modality has shape {@code [classes]} and is stored one-hot; an image has shape
 * {@code [channels, height, width]} with values in [0, 1].
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
        shape = shape.clone();
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
