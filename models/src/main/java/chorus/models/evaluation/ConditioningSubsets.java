package chorus.models.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The conditioning sets S an evaluation walks through: every non-empty subset of the modalities, ordered by
 * size and then modality order (1, 2, ... given modalities: the x-axis of the synergy plot of Sutter et al.
 * 2021). Past {@link #MAX_ENUMERATED} modalities the 2^M - 1 subsets are too many, so only the single
 * modalities, the sets leaving one out and the set of all are taken.
 */
public final class ConditioningSubsets {

    /** Up to this many modalities every subset is enumerated. */
    public static final int MAX_ENUMERATED = 6;

    private ConditioningSubsets() {
    }

    /** The subsets of {@code names} (in the given order inside each subset). */
    public static List<List<String>> of(List<String> names) {
        int m = names.size();
        List<List<String>> out = new ArrayList<>();
        if (m <= MAX_ENUMERATED) {
            for (int mask = 1; mask < (1 << m); mask++) {
                List<String> s = new ArrayList<>();
                for (int j = 0; j < m; j++) {
                    if ((mask & (1 << j)) != 0) {
                        s.add(names.get(j));
                    }
                }
                out.add(List.copyOf(s));
            }
        } else {
            for (int j = 0; j < m; j++) {
                out.add(List.of(names.get(j)));
            }
            for (int j = 0; j < m; j++) {
                List<String> rest = new ArrayList<>(names);
                rest.remove(j);
                out.add(List.copyOf(rest));
            }
            out.add(List.copyOf(names));
        }
        out.sort(Comparator.comparingInt(List::size)); // stable: modality order within a size
        return out;
    }

    /** "image,label", the key of a subset in tables and JSON. */
    public static String key(List<String> subset) {
        return String.join(",", subset);
    }
}
