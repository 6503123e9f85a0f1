package chorus.models.nn.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time spent per layer, forward and backward, accumulated across calls and threads: what a layer stack
 * reports so that {@code chorus bench --profile} can print where a step's compute goes. Callers name
 * layers as they like (e.g. {@code decoder.image/2 Deconvolution2D}); the snapshot lists them in the order
 * they were first recorded. Thread-safe (one lock; a record per layer pass costs far less than the pass).
 */
public final class LayerProfile {

    /** One layer's totals since the last {@link #reset}. */
    public record Entry(String layer, long forwardNanos, long forwardCalls, long backwardNanos, long backwardCalls) {
    }

    private final Map<String, long[]> totals = new LinkedHashMap<>(); // layer -> {fwd ns, fwd calls, bwd ns, bwd calls}

    /** Adds {@code nanos} of forward ({@code backward} false) or backward work to {@code layer}. */
    public synchronized void record(String layer, boolean backward, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("layer profile of '" + layer + "': " + nanos + " ns, expected >= 0");
        }
        long[] t = totals.computeIfAbsent(layer, k -> new long[4]);
        int at = backward ? 2 : 0;
        t[at] += nanos;
        t[at + 1]++;
    }

    /** Every layer's totals, in first-recorded order. */
    public synchronized List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(totals.size());
        totals.forEach((layer, t) -> out.add(new Entry(layer, t[0], t[1], t[2], t[3])));
        return out;
    }

    /** Forgets everything recorded. */
    public synchronized void reset() {
        totals.clear();
    }
}
