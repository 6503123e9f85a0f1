package chorus.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Removes modalities from rows to simulate partially observed data: for each modality {@code m}
 * with fraction {@code f}, exactly {@code round(f * N)} rows lack it, and no row lacks all
 * modalities.
 *
 * <p>How: modalities are taken in dataset order; for each, the rows still able to lose one (those
 * observing at least two modalities) are shuffled with a seed derived from the seed and the
 * modality's index, then stably ordered by how many modalities they have already lost, and the
 * first {@code round(f * N)} lose it. Preferring the rows that have lost the least keeps the losses
 * within one of each other across rows, which guarantees a solution whenever one exists (the
 * total removed is at most {@code (M - 1) * N}); when it does not, the fractions are rejected. The
 * consequence is that absences of different modalities are slightly anti-correlated rather than
 * independent, the price of never emptying a row without re-drawing.
 *
 * <p>The values of absent modalities stay in the dataset's tensors; {@link Dataset#batch} zeroes
 * them in every batch it builds.
 */
public final class MissingModalities {

    private MissingModalities() {
    }

    /**
     * {@code data} with a new presence mask (replacing its current one) lacking modalities in the
     * proportions {@code fractions} (modality name to a fraction in [0, 1); modalities not named
     * are always observed), drawn with {@code seed}.
     */
    public static Dataset apply(Dataset data, Map<String, Double> fractions, long seed) {
        int n = data.size();
        int modalities = data.modalities().size();
        long[] wanted = wantedCounts(data, fractions);
        long total = Arrays.stream(wanted).sum();
        if (total > (long) (modalities - 1) * n) {
            throw new IllegalArgumentException("missing fractions " + fractions + " remove " + total
                    + " modality values from " + n + " rows of " + modalities + " modalities in " + data.name()
                    + "/" + data.split() + ", expected at most " + (long) (modalities - 1) * n
                    + " so that every row keeps one modality");
        }
        float[] mask = new float[n * modalities]; // [N, M] row-major
        Arrays.fill(mask, 1f);
        int[] lost = new int[n];
        for (int m = 0; m < modalities; m++) {
            if (wanted[m] == 0) {
                continue;
            }
            int[] order = fewestLostFirst(lost, modalities - 1, Seeds.derive(seed, m));
            for (int i = 0; i < wanted[m]; i++) {
                int row = order[i];
                mask[row * modalities + m] = 0f;
                lost[row]++;
            }
        }
        INDArray presence = Nd4j.create(mask, new long[] {n, modalities}, DataType.FLOAT); // [N, M]
        return data.withPresence(presence);
    }

    /** The number of rows lacking each modality, in dataset order. */
    public static Map<String, Long> countMissing(Dataset data) {
        INDArray absent = data.presence().rsub(1f).sum(0); // [M]
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int m = 0; m < data.modalities().size(); m++) {
            counts.put(data.modalities().get(m).name(), Math.round(absent.getDouble(m)));
        }
        return counts;
    }

    private static long[] wantedCounts(Dataset data, Map<String, Double> fractions) {
        long[] wanted = new long[data.modalities().size()];
        for (Map.Entry<String, Double> entry : fractions.entrySet()) {
            int m = indexOf(data, entry.getKey());
            Double f = entry.getValue();
            if (f == null || !(f >= 0 && f < 1)) {
                throw new IllegalArgumentException("missing fraction for modality '" + entry.getKey() + "' is "
                        + f + ", expected a value in [0, 1)");
            }
            wanted[m] = Math.round(f * data.size());
        }
        return wanted;
    }

    private static int indexOf(Dataset data, String modality) {
        for (int m = 0; m < data.modalities().size(); m++) {
            if (data.modalities().get(m).name().equals(modality)) {
                return m;
            }
        }
        throw new IllegalArgumentException("missing fraction for modality '" + modality + "': " + data.name()
                + " has no such modality, expected one of " + data.modalities().stream().map(Modality::name).toList());
    }

    /** Rows that may still lose a modality (lost below {@code maxLost}), shuffled, then stably by {@code lost}. */
    private static int[] fewestLostFirst(int[] lost, int maxLost, long seed) {
        int[] start = new int[maxLost + 1]; // start[b]: first slot of the rows that have lost b
        for (int l : lost) {
            if (l < maxLost) {
                start[l + 1]++;
            }
        }
        for (int b = 1; b <= maxLost; b++) {
            start[b] += start[b - 1];
        }
        int[] order = new int[start[maxLost]];
        for (int row : Seeds.permutation(lost.length, seed)) {
            if (lost[row] < maxLost) {
                order[start[lost[row]]++] = row;
            }
        }
        return order;
    }
}
