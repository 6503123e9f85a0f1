package chorus.models.mmvae;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stacked samples a mixture decodes for each target modality: the K samples of every expert m are stacked
 * as rows {@code (m * K + k) * B + b}, and target n decodes those whose data row b observes both m and n (MMVAE's
 * cross reconstructions, MMVAE+'s too).
 */
public final class CrossRows {

    /** Whether data row {@code row} observes modality {@code modality}. */
    @FunctionalInterface
    public interface Presence {
        boolean observes(int row, int modality);
    }

    private CrossRows() {
    }

    /** For every target n with any: the stacked rows (m, k, b) whose data row observes both m and n, in that order. */
    public static Map<Integer, int[]> plan(int m, int k, int b, Presence presence) {
        Map<Integer, int[]> out = new LinkedHashMap<>();
        for (int n = 0; n < m; n++) {
            List<Integer> rows = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                for (int s = 0; s < k; s++) {
                    for (int row = 0; row < b; row++) {
                        if (presence.observes(row, j) && presence.observes(row, n)) {
                            rows.add((j * k + s) * b + row);
                        }
                    }
                }
            }
            if (!rows.isEmpty()) {
                out.put(n, rows.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return out;
    }
}
