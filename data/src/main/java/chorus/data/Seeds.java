package chorus.data;

import java.util.Random;

/**
 * Derives independent seeds from one seed and a stream number (an epoch, a modality, a split), so
 * that every random choice in data/ is reproducible from the configured seed alone.
 */
public final class Seeds {

    private Seeds() {
    }

    /**
     * A seed for stream {@code stream} of {@code seed}: SplitMix64's finaliser applied to the pair,
     * so neighbouring epochs or modalities get unrelated sequences from {@link Random}.
     */
    public static long derive(long seed, long stream) {
        long z = seed + (stream + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A permutation of {@code 0..n-1} by Fisher–Yates with {@code new Random(seed)}. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, new Random(seed));
        return order;
    }

    /** Shuffles {@code values} in place (Fisher–Yates). */
    public static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
