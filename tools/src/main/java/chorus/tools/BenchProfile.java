package chorus.tools;

import chorus.actors.StepReport;
import chorus.actors.WorkerId;
import chorus.models.MultimodalVae;
import chorus.models.StepFlops;
import chorus.models.nn.LayerProfile;
import chorus.models.nn.LayerTimer;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkFlops;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tables of {@code chorus bench --profile}: per actor of the pipeline, compute and wait per step;
 * per layer of every network, forward and backward time per step with the GFLOP/s they achieve.
 */
final class BenchProfile {

    private BenchProfile() {
    }

    /** Throws, naming the option, unless the per-actor times mean compute: on CUDA handlers only enqueue kernels. */
    static void requireCpuBackend() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (!backend.equals("CpuBackend")) {
            throw new IllegalArgumentException("--profile times compute as time in the workers' message handlers, which"
                    + " needs the synchronous CPU backend; this build runs " + backend
                    + ", expected CpuBackend (CHORUS_PROFILE=cpu or onednn)");
        }
    }

    /**
     * Per actor: compute is its busy time of the step (message handlers, including the update it applies),
     * wait the rest of the step's time from plan to last update; medians over {@code reports}. A worker
     * that did not take part in a step computed nothing and waited the whole step.
     */
    static void printActors(List<StepReport> reports, List<String> modalities, PrintStream out) {
        Set<WorkerId> workers = new LinkedHashSet<>();
        for (int j = 0; j < modalities.size(); j++) {
            workers.add(WorkerId.encoder(j));
        }
        for (int j = 0; j < modalities.size(); j++) {
            workers.add(WorkerId.decoder(j));
        }
        long[] step = reports.stream().mapToLong(StepReport::nanos).toArray();
        out.printf("profile: pipeline actors, medians over %d steps of median %.1f ms (plan to last update)%n",
                reports.size(), BenchCommand.median(step) / 1e6);
        out.printf("  %-20s %16s %14s%n", "actor", "compute ms/step", "wait ms/step");
        row(out, "combiner", reports.stream().mapToLong(StepReport::combinerNanos).toArray(), step);
        for (WorkerId w : workers) {
            long[] busy = reports.stream().mapToLong(r -> r.busyNanos().getOrDefault(w, 0L)).toArray();
            row(out, w.role().name().toLowerCase() + "." + modalities.get(w.modality()), busy, step);
        }
    }

    private static void row(PrintStream out, String actor, long[] busy, long[] step) {
        long[] wait = new long[busy.length];
        for (int i = 0; i < busy.length; i++) {
            wait[i] = Math.max(0, step[i] - busy[i]);
        }
        out.printf("  %-20s %16.1f %14.1f%n", actor, BenchCommand.median(busy) / 1e6, BenchCommand.median(wait) / 1e6);
    }

    /**
     * Times every network's layers ({@link LayerTimer}: a warm-up pass, then {@code passes} measured ones) on
     * the rows of {@code rows}' step, and prints per layer its forward and backward ms per step and the GFLOP/s
     * they achieve (backward counted as 2 forwards, see {@link NetworkFlops}).
     */
    static void printLayers(MultimodalVae model, StepFlops rows, int passes, PrintStream out) {
        LayerProfile profile = new LayerProfile();
        Map<String, Long> flops = new HashMap<>(); // layer label -> forward FLOPs of its step rows
        for (int j = 0; j < model.modalities().size(); j++) {
            String name = model.modalities().get(j).name();
            time(model.encoders().get(j), "encoder." + name, rows.encoderRows().get(j), passes, profile, flops);
            time(model.decoders().get(j), "decoder." + name, rows.decoderRows().get(j), passes, profile, flops);
        }
        List<LayerProfile.Entry> entries = profile.snapshot();
        if (entries.isEmpty()) {
            out.println("profile: no per-layer times (the per-layer profile comes from the layer stack)");
            return;
        }
        out.printf("profile: layers, forward + backward of each network on its step rows, on this thread, mean of %d"
                + " passes after a warm-up%n", passes);
        out.printf("  %-36s %11s %11s %12s %12s%n", "layer", "fwd ms/step", "bwd ms/step", "fwd GFLOP/s", "bwd GFLOP/s");
        double fwdTotal = 0;
        double bwdTotal = 0;
        for (LayerProfile.Entry e : entries) {
            double fwd = e.forwardNanos() / 1e6 / passes;
            double bwd = e.backwardNanos() / 1e6 / passes;
            fwdTotal += fwd;
            bwdTotal += bwd;
            long f = flops.get(e.layer());
            out.printf("  %-36s %11.2f %11.2f %12s %12s%n", e.layer(), fwd, bwd, rate(f, fwd), rate(2 * f, bwd));
        }
        out.printf("  %-36s %11.2f %11.2f%n", "total", fwdTotal, bwdTotal);
    }

    private static void time(Network network, String name, int rows, int passes, LayerProfile into,
                             Map<String, Long> flops) {
        if (rows == 0) {
            return; // the network does not run this step
        }
        LayerTimer.time(network, name, rows, passes, into);
        for (NetworkFlops.LayerFlops l : NetworkFlops.layers(network)) {
            flops.put(LayerTimer.label(name, l), rows * l.perRow());
        }
    }

    private static String rate(long flops, double ms) {
        return flops == 0 || ms <= 0 ? "-" : String.format("%.1f", flops / ms / 1e6);
    }
}
