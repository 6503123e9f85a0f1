package chorus.tools.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's three memory caps for a run: the Java heap ({@code -Xmx}) and javacpp's two caps, which it reads
 * once, when ND4J loads, so they must be on the command line (the launcher asks {@link chorus.tools.MemoryPlanner}).
 * javacpp checks them whenever a native pointer is registered: over {@code org.bytedeco.javacpp.maxbytes} (the
 * bytes of the pointers that declared their size) or over {@code maxphysicalbytes} (the process's resident set,
 * read from /proc) it runs the collector, which frees ND4J's unreachable arrays, and fails only if that does not
 * bring it back under. ND4J 1.0.0-M2.1's own buffers are allocated by libnd4j and declare no size to javacpp, so
 * in practice the resident-set cap is the one that collects their garbage: measured on fashion-mvae, peak RSS
 * follows it (cap 1000M: 1.07 GiB; 5G: 4.5 GiB) while maxbytes 700M never triggered.
 *
 * <pre>
 * maxphysicalbytes = plan + {@link #RESIDENT}                     (the resident set allowed before a collection)
 * maxbytes         = {@link #GROWTH} x plan + {@link #MARGIN}      (for what declares its size to javacpp)
 * heap             = {@link #heap}: a base plus the largest byte arrays the command builds
 * </pre>
 * The plan is an upper bound on the arrays live at once (it counts every copy at its largest, e.g. the evaluator's
 * buffers and a snapshot together with a step's temporaries), so its surplus over the live set is the room garbage
 * gets between collections. A cap the user gives in {@code CHORUS_JAVA_OPTS} wins: it is not printed, and
 * maxphysicalbytes follows the user's heap when only that is given.
 *
 * @param heap             bytes of the Java heap
 * @param maxBytes         javacpp's cap on its declared bytes
 * @param maxPhysicalBytes javacpp's cap on the resident set
 */
public record JvmCaps(long heap, long maxBytes, long maxPhysicalBytes) {

    /** Headroom of maxbytes over the plan. */
    public static final double GROWTH = 1.3;
    /** Fixed headroom of maxbytes over the plan: small arrays the plan does not list (losses, experts, requests). */
    public static final long MARGIN = 64L << 20;
    /**
     * Resident memory that is not the plan's arrays: the JVM, Akka's and DL4J's classes, thread stacks, libnd4j
     * and oneDNN, and the heap's working set (G1 keeps ~64 MiB committed while training). Measured: the planner's
     * JVM holding a 110 MiB model is 272 MiB resident; a training JVM's resident set falls to about this plus its
     * live arrays after a collection.
     */
    public static final long RESIDENT = 320L << 20;
    /** The heap of the commands that train or hold data, before what they serialise: Akka, DL4J and the run's objects. */
    public static final long TRAINING_HEAP = 128L << 20;
    /** The heap of the evaluation commands, before what they serialise (the classifier and grids use Java arrays). */
    public static final long EVALUATION_HEAP = 256L << 20;

    /**
     * The heap a command needs: {@code base}, plus twice the larger of the bytes it serialises through the heap at
     * once — a checkpoint ({@link MemoryPlan#checkpointBytes}: it is built as byte arrays, each grown by doubling)
     * and a data file read whole ({@code fileBytes}) — rounded up to 64 MiB. G1 commits it only while it is used.
     */
    public static long heap(long base, long checkpointBytes, long fileBytes) {
        long bytes = base + 2 * Math.max(checkpointBytes, fileBytes);
        return (bytes + (64L << 20) - 1) / (64L << 20) * (64L << 20);
    }

    static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxphysicalbytes";
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?");

    /** The caps for {@code plan} with a heap of {@code heap} bytes. */
    public static JvmCaps of(MemoryPlan plan, long heap) {
        long maxBytes = roundUpToMib((long) Math.ceil(GROWTH * plan.total()) + MARGIN);
        return new JvmCaps(heap, maxBytes, roundUpToMib(plan.total() + RESIDENT));
    }

    /**
     * The flags to add to the user's JVM options {@code userOptions} (as in {@code CHORUS_JAVA_OPTS}): one per
     * cap the user did not give; with a larger user heap, maxphysicalbytes grows by the difference.
     */
    public List<String> flags(String userOptions) {
        OptionalLong userHeap = OptionalLong.empty();
        boolean heapGiven = false;
        boolean maxGiven = false;
        boolean userPhysical = false;
        for (String o : userOptions.trim().split("\\s+")) {
            if (o.startsWith("-Xmx")) {
                heapGiven = true;
                userHeap = size(o.substring(4));
            } else if (o.startsWith("-D" + MAX_BYTES + "=")) {
                maxGiven = true;
            } else if (o.startsWith("-D" + MAX_PHYSICAL_BYTES + "=")) {
                userPhysical = true;
            }
        }
        List<String> flags = new ArrayList<>();
        if (!heapGiven) {
            flags.add("-Xmx" + mib(heap) + "m");
        }
        if (!maxGiven) {
            flags.add("-D" + MAX_BYTES + "=" + mib(maxBytes) + "M");
        }
        if (!userPhysical) {
            long physical = maxPhysicalBytes + Math.max(0, userHeap.orElse(heap) - heap); // a larger user heap may fill
            flags.add("-D" + MAX_PHYSICAL_BYTES + "=" + mib(physical) + "M");
        }
        return flags;
    }

    /** A JVM or javacpp size ({@code 512m}, {@code 3G}, {@code 1048576}) in bytes; empty if it is not one. */
    static OptionalLong size(String text) {
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return OptionalLong.of(Long.parseLong(m.group(1)) << shift);
    }

    private static long mib(long bytes) {
        return MemoryPlan.mib(bytes);
    }

    private static long roundUpToMib(long bytes) {
        return mib(bytes) << 20;
    }
}
