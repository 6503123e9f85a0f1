package chorus.tools;

import chorus.actors.TrainingSystem;
import chorus.actors.cluster.ClusterSettings;
import chorus.actors.coordinator.TrainPlan;
import chorus.actors.coordinator.TrainSettings;
import chorus.actors.coordinator.Trainer;
import chorus.actors.coordinator.reporting.Evaluator;
import chorus.actors.coordinator.reporting.Reporter;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.data.config.ChorusConfig;
import chorus.data.config.Settings;
import chorus.data.config.SettingsException;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.concat.Concatenation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.coherence.ImageClassifier;
import chorus.models.objective.Objective;
import chorus.tools.bench.PeakMemory;
import chorus.tools.console.Progress;
import chorus.tools.console.ShutdownHooks;
import chorus.tools.evaluation.MetricSuite;
import chorus.tools.evaluation.TrainingEvaluation;
import chorus.tools.run.Checkpoint;
import chorus.tools.run.CheckpointException;
import chorus.tools.run.NetworkState;
import chorus.tools.run.RunDirectory;
import chorus.tools.run.RunSetup;
import chorus.tools.run.StoredConfig;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus train}: trains an experiment through the actor system into a run directory, or continues
 * one from its newest checkpoint ({@code --resume}) exactly as if it had not stopped.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an experiment through the actor system into a run directory (or --resume one).")
final class TrainCommand extends CommonOptions.Holder implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("chorus.train");
    /** Training rows the latent probe of a periodic evaluation trains on. */
    private static final int EVAL_PROBE_ROWS = 5000;

    @Parameters(paramLabel = "CONFIG", arity = "0..1", description = "Experiment file, e.g. conf/experiments/fashion-mvae.conf (default: the defaults).")
    Path config;

    @Option(names = "--max-steps", description = "Stop at this global step (overrides chorus.train.max-steps/epochs).")
    Long maxSteps;

    @Option(names = "--run-dir", description = "Run directory (default: runs/<experiment>-<timestamp>).")
    Path runDir;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its newest checkpoint.")
    Path resume;

    @Override
    public Integer call() {
        if (maxSteps != null && maxSteps < 1) {
            throw new IllegalArgumentException("--max-steps must be >= 1, got " + maxSteps);
        }
        if (resume != null) {
            if (config != null || runDir != null) {
                throw new IllegalArgumentException("--resume continues " + resume + " with its own config: give no CONFIG"
                        + " or --run-dir (only --max-steps, and -Dchorus.cluster.* for where the nodes run now)");
            }
            try (RunDirectory run = RunDirectory.existing(resume)) { // locked: one writer; stale temp files removed
                Path latest = run.latestCheckpoint().orElseThrow(() -> new CheckpointException("run directory " + resume
                        + " has no checkpoint yet in checkpoints/; nothing to resume"));
                Checkpoint from = Checkpoint.read(latest);
                run.checkOwns(from, latest);
                Config c = StoredConfig.override(from.config(), common.overrides(), "chorus.cluster.", "--resume continues "
                        + resume + " with its own config; only chorus.cluster.* (where the nodes run) may be overridden");
                return train(c, from, () -> run);
            }
        }
        Config c = ChorusConfig.load(config, common.overrides());
        String experiment = config == null ? "default" : config.getFileName().toString().replaceFirst("\\.conf$", "");
        Path dir = runDir != null ? runDir : RunDirectory.fresh(Path.of("runs"), experiment);
        RunDirectory.checkNew(dir); // refused now, not after loading the data and joining the cluster
        long seed = Settings.longValue(c, "chorus.model.seed");
        return train(c, null, () -> RunDirectory.create(dir, c, seed));
    }

    /**
     * Builds everything, starts the training system and only then opens the run directory ({@code open}): a
     * start-up that fails (bad value, missing data, no worker node, Ctrl-C) leaves no directory behind, and a
     * run that ends before its first checkpoint removes the one it created.
     */
    private int train(Config c, Checkpoint from, Supplier<RunDirectory> open) {
        RunSetup setup = RunSetup.load(c, "train", "test");
        DataSettings ds = setup.data();
        Dataset train = setup.split("train");
        Dataset test = setup.split("test");
        List<Modality> modalities = setup.modalities();
        ModelSettings ms = setup.settings();
        TrainSettings ts = TrainSettings.from(c);
        var evalMetrics = MetricSuite.Metric.parseAll(c.getStringList("chorus.train.eval-metrics"), "chorus.train.eval-metrics");
        MultimodalVae model = setup.model(DataType.FLOAT);
        List<Modality> workers = model.modalities(); // the workers' modalities: 'joint' for concat
        ClusterSettings cluster = ClusterSettings.from(c, workers);
        if (cluster.enabled() && !cluster.role().equals(ClusterSettings.COORDINATOR)) {
            throw new SettingsException("chorus.cluster.role = " + cluster.role() + ": `chorus train` runs the coordinator;"
                    + " start the worker node " + cluster.role() + " with `chorus worker` instead");
        }
        Placement placement = Placement.from(c, workers, cluster.runsHere());
        Objective objective = setup.objective();
        UnaryOperator<Batch> input = setup.input();
        BatchIterator.Cursor cursor = BatchIterator.Cursor.START;
        long start = 0;
        if (from != null) {
            from.restoreInto(model);
            cursor = from.cursor();
            start = from.step();
        }
        BatchIterator batches = new BatchIterator(train, ds.batchSize(), ds.seed(), true, cursor, input);
        long end = maxSteps != null ? maxSteps : ts.endStep(batches.batchesPerEpoch());
        if (end <= start) {
            throw new IllegalArgumentException("the run is already at step " + start + ", not before the end step " + end
                    + "; pass a larger --max-steps to continue it");
        }
        TrainPlan plan = new TrainPlan(start, end, ts.inFlight(), ts.maxStaleness(), ms.annealing(),
                ts.evalEvery(), ts.checkpointEvery());
        TrainingSystem.Options options = new TrainingSystem.Options(ClusterSettings.SYSTEM_NAME, DataType.FLOAT, placement,
                ts.maxRetries(), ConfigFactory.empty(), cluster, WorkerHooks.NONE);
        if (cluster.enabled()) {
            LOG.info("cluster: coordinator at {}:{} ({}), seed nodes {}; waiting up to {} s for the worker nodes of {}",
                    cluster.hostname(), cluster.port(), cluster.transport().akkaName(), cluster.seedNodes(),
                    cluster.joinTimeout().toSeconds(), cluster.remoteModalities());
        }
        CompletableFuture<Void> ended = new CompletableFuture<>(); // Ctrl-C waits for this: run directory closed
        try (TrainingSystem system = TrainingSystem.start(model, objective, options)) {
            RunDirectory run = open.get();
            try (AutoCloseable log = run.attachLog()) {
                run.truncateMetrics(start); // a resumed run logs the steps after its checkpoint again
                LOG.info("{} {}: {} ({} train / {} test rows, modalities {}), {}, steps {} -> {} ({} per epoch),"
                                + " in-flight {}, run directory {}", from == null ? "training" : "resuming",
                        run.path().getFileName(), train.name(), train.size(), test.size(),
                        modalities.stream().map(Modality::name).toList(), ms.describe(), start, end,
                        batches.batchesPerEpoch(), ts.inFlight(), run.path());
                if (cluster.enabled()) {
                    LOG.info("cluster: the worker nodes of {} joined", cluster.remoteModalities());
                }
                return run(system, run, c, new Plan(plan, batches, ds.batchSize(), ts, ms, train, test, objective, input, model, evalMetrics), ended);
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            } finally {
                if (from == null && run.latestCheckpoint().isEmpty()) {
                    run.discard(); // nothing to resume: leave nothing behind
                    System.out.println("run directory " + run.path() + " removed: the run stopped before its first checkpoint");
                }
                run.close();
            }
        } finally {
            ended.complete(null);
        }
    }

    /** What {@link #run} needs from the set-up. */
    private record Plan(TrainPlan plan, BatchIterator batches, int batchSize, TrainSettings ts, ModelSettings ms, Dataset train,
                        Dataset test, Objective objective, UnaryOperator<Batch> input, MultimodalVae model,
                        java.util.Set<MetricSuite.Metric> evalMetrics) {
    }

    /** Runs the plan in the run directory; prints the totals and returns the exit code. */
    private int run(TrainingSystem system, RunDirectory run, Config c, Plan setup, CompletableFuture<Void> ended) {
        TrainPlan plan = setup.plan();
        TrainSettings ts = setup.ts();
        BatchIterator batches = setup.batches();
        long start = plan.startStep();
        long end = plan.endStep();
        List<String> names = setup.model().modalities().stream().map(Modality::name).toList(); // one per worker pair
        if (Concatenation.isConcatenated(setup.model())) {
            LOG.info("concat: one encoder and one decoder over every modality, trained as the modality '{}'; its sample"
                    + " grids have no label-to-image row (no encoder for the label alone)", Concatenation.NAME);
        }
        Progress progress = Progress.console("train", end - start, "steps");
        Reporter.Settings reporting = new Reporter.Settings(ts.reportEvery(), end, batches.batchesPerEpoch(), names,
                run.metrics(), progress::update);
        String classifiers = c.getString("chorus.train.eval-classifier-dir");
        MetricSuite suite = new MetricSuite(new MetricSuite.Context(setup::train, setup.test(), PosteriorRule.of(setup.ms()),
                Concatenation.isConcatenated(setup.model()), classifiers.isEmpty() ? ImageClassifier.defaultDirectory()
                : Path.of(classifiers), ts.evalLimit(), EVAL_PROBE_ROWS, setup.batchSize(), setup.ms().seed()));
        Evaluator.Hook hook = new TrainingEvaluation(setup.ms(), setup.test(), setup.input(), run.samples(), run.metrics(),
                run.path().resolve("curves.png"), setup.evalMetrics(), suite);
        Evaluator.Settings evaluation = new Evaluator.Settings(setup.test(), setup.objective(), setup.batchSize(), ts.evalLimit(),
                hook, setup.input());
        Trainer.CheckpointSink sink = (step, at, states) -> {
            Path file = run.checkpoint(step);
            Checkpoint.of(step, at, c, networkStates(states, names)).ofRun(run.run()).write(file);
            run.prune(ts.keepCheckpoints());
            LOG.info("checkpoint {}", file);
        };
        long t0 = System.nanoTime();
        var outcome = system.train(plan, batches, ts.prefetch(), reporting, evaluation, sink).toCompletableFuture();
        Thread onCtrlC = ShutdownHooks.add("chorus-stop", () -> { // stop, checkpoint, and close the run directory
            system.stop();
            ended.orTimeout(10, TimeUnit.MINUTES).join();
        });
        Trainer.Finished finished;
        try {
            finished = outcome.join();
        } finally {
            ShutdownHooks.remove(onCtrlC);
        }
        progress.close();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Reporter.Summary s = finished.summary();
        System.out.printf("trained steps %d -> %d in %.1f s: %.0f images/s, peak RSS %s; max staleness %d, retries %d%n",
                start, finished.endStep(), seconds, s.imagesPerSecond(), PeakMemory.describe(), s.maxStaleness(), s.retries());
        System.out.println("run directory: " + run.path() + (run.latestCheckpoint().map(p -> " (last checkpoint " + p.getFileName() + ")")
                .orElse("")));
        if (finished.error() != null) {
            System.err.println("chorus: training stopped: " + finished.error());
            return 1;
        }
        return 0;
    }

    private static List<NetworkState> networkStates(List<WorkerState> states, List<String> names) {
        List<NetworkState> out = new ArrayList<>();
        for (WorkerState s : states) {
            boolean encoder = s.worker().role() == WorkerId.Role.ENCODER;
            out.add(new NetworkState(NetworkState.nameOf(encoder, names.get(s.worker().modality())),
                    s.params(), s.updaterState()));
        }
        return out;
    }
}
