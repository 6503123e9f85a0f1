package chorus.tools;

import chorus.actors.cluster.ClusterSettings;
import chorus.actors.coordinator.TrainSettings;
import chorus.actors.workers.Placement;
import chorus.data.Batch;
import chorus.data.DataSettings;
import chorus.data.Datasets;
import chorus.data.Modality;
import chorus.data.StoredSplit;
import chorus.data.config.ChorusConfig;
import chorus.data.fetch.DatasetLocator;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.StepFlops;
import chorus.tools.memory.JvmCaps;
import chorus.tools.memory.MemoryPlan;
import chorus.tools.run.Checkpoint;
import chorus.tools.run.CheckpointException;
import chorus.tools.run.RunDirectory;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/**
 * The launcher's memory planner: {@code java chorus.tools.MemoryPlanner "$CHORUS_JAVA_OPTS" <chorus arguments>}
 * prints the JVM flags ({@link JvmCaps}) for the command those arguments run, derived from its
 * {@link MemoryPlan}: the dataset's stored size from file headers, the model built from the config (or
 * checkpoint), the rows each network sees in a step from the objective's plan, and the pipeline settings.
 *
 * <p>Commands that hold no model or data, and {@code --help}, print nothing (the launcher's small default
 * stays). A command it cannot plan (a bad config, missing data) exits 1 printing nothing, so the real
 * command reports the error once; {@code CHORUS_MEMORY_DEBUG=1} prints the plan and any failure on stderr.
 */
public final class MemoryPlanner {

    /** Rows the checkpoint commands forward at once at most (loglike's default chunk: 5000 rows). */
    static final int EVALUATION_ROWS = 5000;

    private MemoryPlanner() {
    }

    public static void main(String[] args) {
        boolean debug = System.getenv("CHORUS_MEMORY_DEBUG") != null;
        try {
            List<String> flags = flags(args.length == 0 ? "" : args[0], java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length), debug);
            System.out.println(String.join(" ", flags));
            System.exit(0);
        } catch (RuntimeException | LinkageError e) {
            if (debug) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    /**
     * The JVM flags for running {@code chorus args} with the user's JVM options {@code userOptions}; empty for
     * a command that needs no plan.
     */
    public static List<String> flags(String userOptions, String[] args, boolean debug) {
        Optional<Sized> sized = plan(args);
        if (sized.isEmpty()) {
            return List.of();
        }
        JvmCaps caps = JvmCaps.of(sized.get().plan(), sized.get().heap());
        if (debug) {
            System.err.println("chorus: " + sized.get().plan().describe() + "; " + caps);
        }
        return caps.flags(userOptions);
    }

    /** A plan and the heap its command needs. */
    record Sized(MemoryPlan plan, long heap) {
    }

    /** The plan of the command {@code args} runs, or empty when it needs none. */
    static Optional<Sized> plan(String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        if (!parsed.hasSubcommand() || helpRequested(parsed)) {
            return Optional.empty();
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        Object command = sub.commandSpec().userObject();
        if (command instanceof TrainCommand t) {
            Config c = t.resume != null ? StoredConfig.override(newest(t.resume).config(), t.common().overrides(),
                    "chorus.cluster.", "--resume: only chorus.cluster.* may be overridden")
                    : ChorusConfig.load(t.config, t.common().overrides());
            return Optional.of(training(c, true, 1));
        }
        if (command instanceof BenchCommand b) {
            return Optional.of(training(ChorusConfig.load(b.config, b.common().overrides()), true, b.singleTerm ? 3 : 2));
        }
        if (command instanceof WorkerCommand w) {
            return Optional.of(training(ChorusConfig.load(w.config, w.common().overrides()), false, 1));
        }
        if (command instanceof EvaluateCommand e) {
            return Optional.of(evaluation(e.checkpoint, e.common().overrides(), true, e.batchSize, true));
        }
        if (command instanceof LoglikeCommand l) {
            long rows = (long) l.batchSize * (l.chunk > 0 ? l.chunk : Math.max(1, EVALUATION_ROWS / l.batchSize));
            return Optional.of(evaluation(l.checkpoint, l.common().overrides(), false, rows, false));
        }
        if (command instanceof SampleCommand s) {
            return Optional.of(evaluation(s.checkpoint, s.common().overrides(), false, s.n, false));
        }
        if (command instanceof TraverseCommand t) {
            return Optional.of(evaluation(t.checkpoint, t.common().overrides(), false, Math.max(t.limit, 1024), false));
        }
        if (sub.hasSubcommand() && sub.subcommand().commandSpec().userObject() instanceof DataCommand.Show s) {
            Map<String, String> overrides = new HashMap<>(s.common().overrides());
            overrides.put("chorus.data.dataset", s.dataset);
            DataSettings ds = DataSettings.from(ChorusConfig.load(s.config, overrides));
            List<StoredSplit> split = List.of(stored(ds, s.split));
            return Optional.of(new Sized(MemoryPlan.data(split), JvmCaps.heap(JvmCaps.EVALUATION_HEAP, 0, fileBytes(split))));
        }
        return Optional.empty();
    }

    /** The plan of training (or, without data, serving as a worker node) what {@code c} configures; {@code models} copies of the model's state. */
    static Sized training(Config c, boolean withData, int models) {
        DataSettings ds = DataSettings.from(c);
        List<Modality> modalities = Datasets.modalities(ds);
        List<StoredSplit> splits = withData ? List.of(stored(ds, "train"), stored(ds, "test")) : List.of();
        ModelSettings ms = ModelSettings.from(c, modalities);
        TrainSettings ts = TrainSettings.from(c);
        MultimodalVae model = ModelFactory.build(ms, modalities, DataType.FLOAT);
        ClusterSettings cluster = ClusterSettings.from(c, model.modalities());
        Placement placement = Placement.from(c, model.modalities(), cluster.runsHere()); // the modalities run on this node
        Batch batch = ModelFactory.input(ms).apply(fullBatch(modalities, ds.batchSize()));
        StepFlops rows = StepFlops.of(model, ModelFactory.objective(ms, modalities), batch);
        List<Integer> replicas = IntStream.range(0, model.modalities().size()).map(j -> placement.replicas(j).size()).boxed().toList();
        MemoryPlan one = MemoryPlan.training(splits, model, new MemoryPlan.Training(ds.batchSize(), rows.encoderRows(),
                rows.decoderRows(), ts.inFlight(), ts.prefetch(), replicas, placement.intraOpThreads(),
                withData && cluster.elastic())); // the coordinator keeps its last snapshot to reload after a lost node
        long metrics = c.getStringList("chorus.train.eval-metrics").isEmpty() ? 0 : MemoryPlan.floatCopies(splits);
        MemoryPlan plan = new MemoryPlan(one.data() + metrics, models * one.parameters(), models * one.activations(),
                models * one.nativeBytes(), one.batches());
        return new Sized(plan, JvmCaps.heap(JvmCaps.TRAINING_HEAP, MemoryPlan.checkpointBytes(model), fileBytes(splits)));
    }

    /**
     * The plan of a checkpoint command forwarding {@code rows} rows at once; with {@code objectiveRows} (the test
     * ELBO of evaluate) a network may see more: every ELBO term of a batch of {@code rows} rows is decoded at once
     * (MoPoE over 5 modalities: 31 terms, so 31 x rows through each decoder).
     */
    private static Sized evaluation(Path file, Map<String, String> overrides, boolean withTrain, long rows,
                                    boolean objectiveRows) {
        Checkpoint cp = Checkpoint.read(file);
        Config c = StoredConfig.override(cp.config(), overrides, ChorusConfig.ROOT + ".data.",
                "a checkpoint fixes its model and run settings; only chorus.data.* may be overridden");
        DataSettings ds = DataSettings.from(c);
        List<Modality> modalities = Datasets.modalities(ds);
        List<StoredSplit> splits = new ArrayList<>(List.of(stored(ds, "test")));
        if (withTrain) {
            splits.add(stored(ds, "train"));
        }
        ModelSettings ms = ModelSettings.from(c, modalities);
        MultimodalVae model = ModelFactory.build(ms, modalities, DataType.FLOAT);
        if (objectiveRows) {
            Batch batch = ModelFactory.input(ms).apply(fullBatch(modalities, (int) rows));
            StepFlops plan = StepFlops.of(model, ModelFactory.objective(ms, modalities), batch);
            rows = java.util.stream.Stream.concat(plan.encoderRows().stream(), plan.decoderRows().stream())
                    .mapToLong(Integer::longValue).max().orElse(rows);
        }
        return new Sized(MemoryPlan.evaluation(splits, model, rows),
                JvmCaps.heap(JvmCaps.EVALUATION_HEAP, MemoryPlan.checkpointBytes(model), fileBytes(splits)));
    }

    /** The largest split's image bytes: an IDX images file is read whole into the heap before it goes off-heap. */
    private static long fileBytes(List<StoredSplit> splits) {
        return splits.stream().mapToLong(s -> IntStream.range(0, s.modalities().size())
                .filter(m -> s.modalities().get(m).kind() == Modality.Kind.IMAGE)
                .mapToLong(m -> (long) s.rows() * s.modalities().get(m).size()).sum()).max().orElse(0);
    }

    private static StoredSplit stored(DataSettings ds, String split) {
        return new Datasets(DatasetLocator.ofSystem()).stored(ds, split);
    }

    private static Checkpoint newest(Path runDir) {
        return Checkpoint.read(RunDirectory.existing(runDir).latestCheckpoint()
                .orElseThrow(() -> new CheckpointException(runDir + " has no checkpoint")));
    }

    /** A batch of {@code rows} rows observing every modality (zeros), at step 0. */
    private static Batch fullBatch(List<Modality> modalities, int rows) {
        List<INDArray> tensors = modalities.stream().map(m -> Nd4j.zeros(DataType.FLOAT, rows, m.size())).toList();
        return new Batch(0, modalities, tensors, Nd4j.ones(DataType.FLOAT, rows, modalities.size()),
                IntStream.range(0, rows).toArray());
    }

    private static boolean helpRequested(CommandLine.ParseResult r) {
        for (CommandLine.ParseResult p = r; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested() || p.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return true;
            }
        }
        return false;
    }
}
