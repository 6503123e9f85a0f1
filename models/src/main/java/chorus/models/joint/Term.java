package chorus.models.joint;

import java.util.Arrays;

/**
 * One ELBO term whose posterior is a single expert's Gaussian (a unimodal or the joint encoder's, no
 * product): z ~ q_e, and decoder {@code targets[k]} reads the expert's latent columns {@code columns[k]}
 * (in order), so a decoder of (shared, private_m) can read those parts of a joint latent
 * (shared, private_1, ..., private_M).
 *
 * @param name    the logged name, e.g. {@code joint} or {@code image}
 * @param expert  the index of the expert (the model's modality) whose Gaussian is the posterior
 * @param targets the modalities it reconstructs
 * @param columns per target, the expert's latent columns its decoder reads
 * @param held    whether the decoders are held fixed for this term: it trains only its expert's encoder
 *                (TELBO's single-modality terms), its rows adding nothing to a decoder's parameter gradient
 */
public record Term(String name, int expert, int[] targets, int[][] columns, boolean held) {

    /** A term that trains its decoders. */
    public Term(String name, int expert, int[] targets, int[][] columns) {
        this(name, expert, targets, columns, false);
    }

    public Term {
        if (targets.length == 0 || targets.length != columns.length) {
            throw new IllegalArgumentException("term '" + name + "': " + targets.length + " targets and " + columns.length
                    + " column lists, expected one or more targets with one column list each");
        }
        targets = targets.clone();
        columns = Arrays.stream(columns).map(int[]::clone).toArray(int[][]::new);
    }

    /** A term reading the expert's whole latent {@code [0, dim)} for every target. */
    public static Term whole(String name, int expert, int[] targets, int dim) {
        int[][] columns = new int[targets.length][];
        for (int k = 0; k < targets.length; k++) {
            columns[k] = range(0, dim);
        }
        return new Term(name, expert, targets, columns);
    }

    /** The same term with its decoders held fixed. */
    public Term heldDecoders() {
        return new Term(name, expert, targets, columns, true);
    }

    /** {@code from, from + 1, ..., to - 1}. */
    public static int[] range(int from, int to) {
        int[] out = new int[to - from];
        Arrays.setAll(out, i -> from + i);
        return out;
    }

    @Override
    public int[] targets() {
        return targets.clone();
    }

    @Override
    public int[][] columns() {
        return Arrays.stream(columns).map(int[]::clone).toArray(int[][]::new);
    }
}
