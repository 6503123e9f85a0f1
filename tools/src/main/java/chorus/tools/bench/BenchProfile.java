package chorus.tools.bench;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.WorkerId;
import chorus.models.MultimodalVae;
import chorus.models.StepFlops;
import chorus.models.nn.Network;
import chorus.models.nn.cost.NetworkFlops;
import chorus.models.nn.kernel.LayerProfile;
import java.io.PrintStream;
import java.util.Arrays;
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
public final class BenchProfile {

    private BenchProfile() {
    }

    /** Throws, naming the option, unless the per-actor times mean compute: on CUDA handlers only enqueue kernels. */
    public static void requireCpuBackend() {
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
    public static void printActors(List<StepReport> reports, List<String> modalities, PrintStream out) {
        Set<WorkerId> workers = new LinkedHashSet<>();
        for (int j = 0; j < modalities.size(); j++) {
            workers.add(WorkerId.encoder(j));
        }
        for (int j = 0; j < modalities.size(); j++) {
            workers.add(WorkerId.decoder(j));
        }
        long[] step = reports.stream().mapToLong(StepReport::nanos).toArray();
        out.printf("profile: pipeline actors, medians over %d steps of median %.1f ms (plan to last update)%n",
                reports.size(), median(step) / 1e6);
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
        out.printf("  %-20s %16.1f %14.1f%n", actor, median(busy) / 1e6, median(wait) / 1e6);
    }

    /** Attaches {@code into} to every network of {@code model}: their kernels time each layer from now on. */
    public static void attach(MultimodalVae model, LayerProfile into) {
        for (int j = 0; j < model.modalities().size(); j++) {
            String name = model.modalities().get(j).name();
            model.encoders().get(j).profile("encoder." + name, into);
            model.decoders().get(j).profile("decoder." + name, into);
        }
    }

    /**
     * Prints per layer the forward and backward ms per step that {@code profile} recorded over {@code steps}
     * reference steps, and the GFLOP/s they achieve on the rows of {@code rows}' step (backward counted as 2
     * forwards, see {@link NetworkFlops}).
     */
    public static void printLayers(MultimodalVae model, LayerProfile profile, int steps, StepFlops rows, PrintStream out) {
        Map<String, Long> flops = new HashMap<>(); // layer label -> forward FLOPs of its step rows
        for (int j = 0; j < model.modalities().size(); j++) {
            String name = model.modalities().get(j).name();
            flops(model.encoders().get(j), "encoder." + name, rows.encoderRows().get(j), flops);
            flops(model.decoders().get(j), "decoder." + name, rows.decoderRows().get(j), flops);
        }
        List<LayerProfile.Entry> entries = profile.snapshot();
        if (entries.isEmpty()) {
            out.println("profile: no per-layer times (these networks run on DL4J's layers, which are not timed)");
            return;
        }
        out.printf("profile: layers of the reference model, mean ms per step over its %d measured steps (wall time; large"
                + " layers split over %d intra-op threads)%n", steps, model.encoders().get(0).intraOp().threads());
        out.printf("  %-36s %11s %11s %12s %12s%n", "layer", "fwd ms/step", "bwd ms/step", "fwd GFLOP/s", "bwd GFLOP/s");
        double fwdTotal = 0;
        double bwdTotal = 0;
        for (LayerProfile.Entry e : entries) {
            double fwd = e.forwardNanos() / 1e6 / steps;
            double bwd = e.backwardNanos() / 1e6 / steps;
            fwdTotal += fwd;
            bwdTotal += bwd;
            long f = flops.getOrDefault(e.layer(), 0L);
            out.printf("  %-36s %11.2f %11.2f %12s %12s%n", e.layer(), fwd, bwd, rate(f, fwd), rate(2 * f, bwd));
        }
        out.printf("  %-36s %11.2f %11.2f%n", "total", fwdTotal, bwdTotal);
    }

    private static void flops(Network network, String name, int rows, Map<String, Long> into) {
        for (NetworkFlops.LayerFlops l : NetworkFlops.layers(network)) {
            into.put(NetworkFlops.label(name, l), rows * l.perRow());
        }
    }

    private static String rate(long flops, double ms) {
        return flops == 0 || ms <= 0 ? "-" : String.format("%.1f", flops / ms / 1e6);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    public static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
