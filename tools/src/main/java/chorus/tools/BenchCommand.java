package chorus.tools;

import chorus.actors.TrainingSystem;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.Placement;
import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.StepFlops;
import chorus.models.concat.Concatenation;
import chorus.models.nn.kernel.IntraOp;
import chorus.models.nn.kernel.LayerProfile;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboPlan;
import chorus.models.privateshared.PrivateSharedObjective;
import chorus.tools.bench.BenchProfile;
import chorus.tools.bench.PeakMemory;
import chorus.tools.bench.SgemmRate;
import chorus.tools.run.RunSetup;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus bench}: median training-step time of the actor pipeline and of the single-process
 * reference model on the same model, batches and objective, steps alternating so machine noise hits
 * both alike. Optionally also a single-term (joint ELBO) pipeline, to show what extra terms cost.
 *
 * <p>Against what the machine can do: first this machine's float gemm rate ({@link SgemmRate}, one thread
 * and all cores at once), then per variant the GFLOP/s its steps achieve ({@link StepFlops}: the networks'
 * FLOPs on the rows each step really sends; mean FLOPs of the measured steps over the median step time)
 * and that rate as a fraction of the all-core gemm rate; at the end the peak RSS. {@code --profile} adds
 * the pipeline's per-actor compute and wait and a per-layer time table ({@link BenchProfile}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Median step time of the actor pipeline vs the reference model on the same model and batches.")
final class BenchCommand extends CommonOptions.Holder implements Callable<Integer> {

    @Parameters(paramLabel = "CONFIG", arity = "0..1", description = "Experiment file (default: the defaults).")
    Path config;

    @Option(names = "--steps", defaultValue = "20", description = "Measured steps per variant (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--single-term", description = "Also time the pipeline with only the joint ELBO term.")
    boolean singleTerm;

    @Option(names = "--profile", description = "Also print per-actor compute and wait, and per-layer times.")
    boolean profile;

    /** The gemm that measures the machine: n x n x n floats, warm-up and measured rounds. */
    private static final int GEMM_N = 1024;
    private static final int GEMM_WARMUP = 2;
    private static final int GEMM_ROUNDS = 7;

    @Override
    public Integer call() {
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("--steps must be >= 1 and --warmup >= 0 (got " + steps + ", " + warmup + ")");
        }
        if (profile) {
            BenchProfile.requireCpuBackend();
        }
        Config c = ChorusConfig.load(config, common.overrides());
        RunSetup setup = RunSetup.load(c, "train");
        DataSettings data = setup.data();
        Dataset train = setup.split("train");
        ModelSettings ms = setup.settings();
        MultimodalVae reference = setup.model(DataType.FLOAT);
        Objective objective = setup.objective();
        System.out.printf("bench: %s, %s, batch %d, %d warm-up + %d measured steps per variant%n",
                train.name(), ms.describe(), data.batchSize(), warmup, steps);
        List<Batch> batches = new ArrayList<>();
        BatchIterator it = BatchIterator.training(train, data.batchSize(), data.seed(), setup.input());
        for (int i = 0; i < warmup + steps; i++) {
            batches.add(it.next());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double gemmOne = SgemmRate.gflops(GEMM_N, 1, GEMM_WARMUP, GEMM_ROUNDS);
        double gemmAll = SgemmRate.gflops(GEMM_N, cores, GEMM_WARMUP, GEMM_ROUNDS);
        System.out.printf("sgemm %dx%dx%d float (Nd4j.gemm, median of %d): 1 thread %.1f GFLOP/s, %d threads at once"
                        + " (all cores) %.1f GFLOP/s  [OMP_NUM_THREADS=%s]%n", GEMM_N, GEMM_N, GEMM_N, GEMM_ROUNDS, gemmOne,
                cores, gemmAll, System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        long[] ref = new long[steps];
        long[] pipe = new long[steps];
        long[] single = new long[singleTerm ? steps : 0];
        List<StepReport> reports = new ArrayList<>();
        LayerProfile layers = new LayerProfile(); // the reference's measured steps, with --profile
        Objective joint = Concatenation.isConcatenated(reference) ? objective // already one term
                : new PrivateSharedObjective(s -> ElboPlan.joint(train.modalities()), ms.latent(), ms.privateLatent(),
                        ms.lambdas(), ms.seed()); // the plain joint ELBO when there are no private latents
        Placement placement = Placement.from(c, reference.modalities()); // chorus.workers: devices and replicas
        IntraOp pool = placement.intraOp(); // the reference splits its layers as the workers do
        placement.shareIntraOp(reference, pool);
        try (TrainingSystem system = TrainingSystem.start(reference.copy(), objective,
                TrainingSystem.Options.local("bench", DataType.FLOAT, reference.modalities().size()).withPlacement(placement));
             TrainingSystem one = singleTerm ? TrainingSystem.start("bench-single", reference.copy(), joint, DataType.FLOAT,
                     ConfigFactory.empty()) : null) {
            for (int i = 0; i < warmup + steps; i++) {
                Batch b = batches.get(i);
                if (profile && i == warmup) {
                    BenchProfile.attach(reference, layers);
                }
                long t0 = System.nanoTime();
                ReferenceModel.train(reference, objective, b, 1.0, i, 0);
                long t1 = System.nanoTime();
                StepReport report = system.step(b, 1.0, i).toCompletableFuture().join();
                long t2 = System.nanoTime();
                if (one != null) {
                    one.step(b, 1.0, i).toCompletableFuture().join();
                }
                long t3 = System.nanoTime();
                if (i >= warmup) {
                    ref[i - warmup] = t1 - t0;
                    pipe[i - warmup] = t2 - t1;
                    reports.add(report);
                    if (one != null) {
                        single[i - warmup] = t3 - t2;
                    }
                }
            }
        }
        List<Batch> measured = batches.subList(warmup, warmup + steps);
        Work work = Work.of(reference, objective, measured).print("all terms", data.batchSize());
        report("reference", ref, data.batchSize(), work.meanFlops(), gemmAll);
        report("pipeline", pipe, data.batchSize(), work.meanFlops(), gemmAll);
        if (singleTerm) {
            Work jointWork = Work.of(reference, joint, measured).print("joint term only", data.batchSize());
            report("pipeline, joint term only", single, data.batchSize(), jointWork.meanFlops(), gemmAll);
            System.out.printf("pipeline all-terms/joint-only step-time ratio: %.2f%n", BenchProfile.median(pipe) / BenchProfile.median(single));
        }
        System.out.printf("pipeline/reference step-time ratio: %.2f%n", BenchProfile.median(pipe) / BenchProfile.median(ref));
        if (profile) {
            BenchProfile.printActors(reports, reference.modalities().stream().map(m -> m.name()).toList(), System.out);
            BenchProfile.printLayers(reference, layers, steps, work.firstStep(), System.out);
        }
        System.out.println("peak RSS: " + PeakMemory.describe());
        return 0;
    }

    /** A plan's work on the measured steps: the first one's rows and FLOPs, the mean FLOPs (rows may vary per step). */
    private record Work(MultimodalVae model, StepFlops firstStep, double meanFlops) {

        static Work of(MultimodalVae model, Objective objective, List<Batch> measured) {
            List<StepFlops> each = measured.stream().map(b -> StepFlops.of(model, objective, b)).toList(); // one forward each
            return new Work(model, each.get(0), each.stream().mapToLong(StepFlops::flops).average().orElse(0));
        }

        Work print(String what, int batch) {
            StringBuilder rows = new StringBuilder();
            for (int j = 0; j < model.modalities().size(); j++) {
                rows.append(j == 0 ? "" : ", ").append(model.modalities().get(j).name()).append(' ')
                        .append(firstStep.encoderRows().get(j)).append('/').append(firstStep.decoderRows().get(j));
            }
            System.out.printf("step work, %s: %.2f GFLOP/step, %.1f MFLOP/image (networks' forward + backward = 3 forwards;"
                    + " rows encoder/decoder: %s)%n", what, meanFlops / 1e9, meanFlops / batch / 1e6, rows);
            return this;
        }
    }

    private static void report(String name, long[] nanos, int batch, double flops, double gemmAll) {
        double ms = BenchProfile.median(nanos) / 1e6;
        double gflops = flops / ms / 1e6;
        System.out.printf("%-28s median %8.1f ms/step  %8.0f images/s  %7.1f GFLOP/s = %.3f x all-core sgemm"
                        + "  (min %.1f, max %.1f ms)%n", name, ms, batch / (ms / 1e3), gflops, gflops / gemmAll,
                Arrays.stream(nanos).min().orElse(0) / 1e6, Arrays.stream(nanos).max().orElse(0) / 1e6);
    }
}
