package chorus.tools;

import chorus.actors.TrainingSystem;
import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.concat.Concatenation;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboPlan;
import chorus.models.privateshared.PrivateSharedObjective;
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

    @Override
    public Integer call() {
        if (steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("--steps must be >= 1 and --warmup >= 0 (got " + steps + ", " + warmup + ")");
        }
        Config c = ChorusConfig.load(config, common.overrides());
        DataSettings data = DataSettings.from(c);
        Dataset train = Datasets.load(data, "train");
        ModelSettings ms = ModelSettings.from(c, train.modalities());
        MultimodalVae reference = ModelFactory.build(ms, train.modalities(), DataType.FLOAT);
        Objective objective = ModelFactory.objective(ms, train.modalities());
        System.out.printf("bench: %s, %s, batch %d, %d warm-up + %d measured steps per variant%n",
                train.name(), ms.describe(), data.batchSize(), warmup, steps);
        List<Batch> batches = new ArrayList<>();
        BatchIterator it = BatchIterator.training(train, data.batchSize(), data.seed(), ModelFactory.input(ms));
        for (int i = 0; i < warmup + steps; i++) {
            batches.add(it.next());
        }
        long[] ref = new long[steps];
        long[] pipe = new long[steps];
        long[] single = new long[singleTerm ? steps : 0];
        Objective joint = Concatenation.isConcatenated(reference) ? objective // already one term
                : new PrivateSharedObjective(s -> ElboPlan.joint(train.modalities()), ms.latent(), ms.privateLatent(),
                        ms.lambdas(), ms.seed()); // the plain joint ELBO when there are no private latents
        try (TrainingSystem system = TrainingSystem.start("bench", reference.copy(), objective, DataType.FLOAT, ConfigFactory.empty());
             TrainingSystem one = singleTerm ? TrainingSystem.start("bench-single", reference.copy(), joint, DataType.FLOAT,
                     ConfigFactory.empty()) : null) {
            for (int i = 0; i < warmup + steps; i++) {
                Batch b = batches.get(i);
                long t0 = System.nanoTime();
                ReferenceModel.train(reference, objective, b, 1.0, i, 0);
                long t1 = System.nanoTime();
                system.step(b, 1.0, i).toCompletableFuture().join();
                long t2 = System.nanoTime();
                if (one != null) {
                    one.step(b, 1.0, i).toCompletableFuture().join();
                }
                long t3 = System.nanoTime();
                if (i >= warmup) {
                    ref[i - warmup] = t1 - t0;
                    pipe[i - warmup] = t2 - t1;
                    if (one != null) {
                        single[i - warmup] = t3 - t2;
                    }
                }
            }
        }
        report("reference", ref, data.batchSize());
        report("pipeline", pipe, data.batchSize());
        if (singleTerm) {
            report("pipeline, joint term only", single, data.batchSize());
            System.out.printf("pipeline all-terms/joint-only step-time ratio: %.2f%n", median(pipe) / median(single));
        }
        System.out.printf("pipeline/reference step-time ratio: %.2f%n", median(pipe) / median(ref));
        return 0;
    }

    private static void report(String name, long[] nanos, int batch) {
        double ms = median(nanos) / 1e6;
        System.out.printf("%-28s median %8.1f ms/step  %8.0f images/s  (min %.1f, max %.1f ms)%n", name, ms,
                batch / (ms / 1e3), Arrays.stream(nanos).min().orElse(0) / 1e6, Arrays.stream(nanos).max().orElse(0) / 1e6);
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
