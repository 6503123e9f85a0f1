package chorus.models.posterior;

import chorus.models.check.Checks;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Subsets of the M modalities as 0/1 mask matrices {@code [T, M]}: row t holds 1 in column m when
 * modality m belongs to subset t. The ELBO terms of a step are planned as such a matrix and every
 * posterior over them is computed in one batched pass (rows term-major: row {@code t*B+b} is subset
 * t of data row b).
 *
 * <ul>
 *   <li>MVAE (Wu &amp; Goodman 2018): {@link #all} + {@link #singles} + {@link #random} k subsets.</li>
 *   <li>MoPoE (Sutter et al. 2021): {@link #allNonEmpty}, the 2^M - 1 non-empty subsets.</li>
 *   <li>MMVAE (Shi et al. 2019): {@link #singles} (the unimodal experts of the mixture).</li>
 * </ul>
 *
 * <p>Matrices are built in DOUBLE; the combiners cast them to the experts' type.
 */
public final class Subsets {

    /** The largest M {@link #allNonEmpty} accepts: 2^20 - 1 subsets is already a million terms. */
    public static final int MAX_ENUMERATED_MODALITIES = 20;

    /** Which (subset, row) pairs are defined given what the row observes. */
    public enum Rule {
        /** The subset shares at least one observed modality with the row (PoE/MVAE terms). */
        ANY_OBSERVED,
        /** Every modality of the subset is observed in the row (MoPoE's subsets of the observed set). */
        ALL_OBSERVED
    }

    private Subsets() {
    }

    /** The one subset of all M modalities {@code [1, M]}. */
    public static INDArray all(int m) {
        Checks.positive("modalities M", m);
        return Nd4j.ones(DataType.DOUBLE, 1, m); // [1, M]
    }

    /** The M single-modality subsets {@code [M, M]}, row m = {m} (the identity). */
    public static INDArray singles(int m) {
        Checks.positive("modalities M", m);
        return Nd4j.eye(m).castTo(DataType.DOUBLE); // [M, M]
    }

    /**
     * Every non-empty subset {@code [2^M - 1, M]} in binary counting order: row t is the subset whose
     * bitmask is t + 1, bit m standing for modality m. So for M = 3 the rows are {0}, {1}, {0,1}, {2},
     * {0,2}, {1,2}, {0,1,2}; the last row is always the full set. M above
     * {@value #MAX_ENUMERATED_MODALITIES} is rejected.
     */
    public static INDArray allNonEmpty(int m) {
        Checks.positive("modalities M", m);
        if (m > MAX_ENUMERATED_MODALITIES) {
            throw new IllegalArgumentException("modalities M: " + m + " would enumerate 2^" + m
                    + " - 1 subsets, expected M <= " + MAX_ENUMERATED_MODALITIES
                    + " (use random subsets for more modalities)");
        }
        int t = (1 << m) - 1;
        double[] values = new double[t * m];
        for (int row = 0; row < t; row++) {
            int mask = row + 1;
            for (int col = 0; col < m; col++) {
                values[row * m + col] = (mask >> col) & 1;
            }
        }
        return Nd4j.create(values, new long[] {t, m}, DataType.DOUBLE); // [2^M - 1, M]
    }

    /**
     * {@code k} non-empty subsets drawn uniformly (with replacement) from the 2^M - 1 non-empty subsets,
     * a function of {@code seed} alone: the k random terms of MVAE's sub-sampled objective.
     */
    public static INDArray random(int k, int m, long seed) {
        Checks.positive("random subsets k", k);
        Checks.positive("modalities M", m);
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[k * m];
        for (int row = 0; row < k; row++) {
            boolean empty = true;
            while (empty) {
                for (int col = 0; col < m; col++) {
                    values[row * m + col] = random.nextBoolean() ? 1.0 : 0.0;
                    empty &= values[row * m + col] == 0.0;
                }
            }
        }
        return Nd4j.create(values, new long[] {k, m}, DataType.DOUBLE); // [k, M]
    }

    /** Row-wise concatenation of subset matrices with the same M, in argument order. */
    public static INDArray stack(INDArray... subsets) {
        if (subsets == null || subsets.length == 0) {
            throw new IllegalArgumentException("subsets to stack: none, expected at least one [T, M] matrix");
        }
        long m = Checks.matrix("subsets 0", subsets[0]).size(1);
        INDArray[] cast = new INDArray[subsets.length];
        for (int i = 0; i < subsets.length; i++) {
            Checks.matrix("subsets " + i, subsets[i]);
            if (subsets[i].size(1) != m) {
                throw new IllegalArgumentException("subsets " + i + ": shape " + Checks.shape(subsets[i])
                        + ", expected [T, " + m + "] like subsets 0");
            }
            cast[i] = subsets[i].castTo(DataType.DOUBLE);
        }
        return Nd4j.concat(0, cast); // [sum T, M]
    }

    /**
     * Which rows of a term-major posterior are defined: {@code [T*B]} 0/1 in the subsets' type, entry
     * {@code t*B+b} being 1 when subset t and the row-b observed set satisfy {@code rule}.
     *
     * @param subsets  {@code [T, M]} 0/1
     * @param presence {@code [B, M]} 0/1, 1 where row b observes modality m
     */
    public static INDArray validRows(INDArray subsets, INDArray presence, Rule rule) {
        requireMasks(subsets, presence);
        INDArray s = subsets.castTo(DataType.DOUBLE);
        INDArray shared = s.mmul(presence.castTo(DataType.DOUBLE).transpose()); // [T, B] |S_t ∩ O_b|
        INDArray valid = switch (rule) {
            case ANY_OBSERVED -> shared.gt(0.5);                                  // [T, B]
            case ALL_OBSERVED -> shared.subColumnVector(s.sum(true, 1)).gt(-0.5); // [T, B] |S ∩ O| = |S|
        };
        return valid.castTo(subsets.dataType()).reshape(s.size(0) * presence.size(0)); // [T*B]
    }

    /**
     * The effective mask {@code [T*B, M]}: row {@code t*B+b} is subset t intersected with what row b
     * observes, i.e. the experts that actually enter that term.
     */
    public static INDArray effective(INDArray subsets, INDArray presence) {
        requireMasks(subsets, presence);
        long t = subsets.size(0);
        long b = presence.size(0);
        INDArray s = subsets.castTo(DataType.DOUBLE).repeat(0, b);    // [T*B, M] row t*B+b = subset t
        INDArray o = Nd4j.tile(presence.castTo(DataType.DOUBLE), (int) t, 1); // [T*B, M] row t*B+b = presence b
        return s.muli(o).castTo(subsets.dataType());                   // [T*B, M]
    }

    /** Subsets {@code [T, M]} and presence {@code [B, M]} are 0/1 matrices over the same M. */
    static void requireMasks(INDArray subsets, INDArray presence) {
        Checks.binary("subsets", Checks.matrix("subsets", subsets));
        Checks.binary("presence mask", Checks.matrix("presence mask", presence));
        if (presence.size(1) != subsets.size(1)) {
            throw new IllegalArgumentException("presence mask: shape " + Arrays.toString(presence.shape())
                    + ", expected [B, " + subsets.size(1) + "] (one column per modality of the subsets "
                    + Checks.shape(subsets) + ")");
        }
    }
}
