package chorus.tools;

import chorus.data.Dataset;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.coherence.ClassJudge;
import chorus.models.evaluation.coherence.ClassJudges;
import chorus.models.evaluation.coherence.CoherenceTable;
import chorus.models.evaluation.coherence.ImageClassifier;
import chorus.models.evaluation.coherence.LatentAccuracy;
import chorus.models.evaluation.samples.SampleFrechet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The evaluation metrics beyond the test ELBO, for {@code evaluate} and for training's periodic evaluation
 * ({@code chorus.train.eval-metrics}): coherence (every subset to every modality carrying the class, joint
 * coherence of prior samples, synergy), the latent linear probe and the Fréchet distance of generated values.
 * A metric that does not apply (a concatenated model, a dataset without classes) is a line in {@link
 * Results#skipped}, not an error. The class judges are built once per suite (trained or read from the cache).
 */
final class MetricSuite {

    /** The metrics by their config and CLI names. */
    enum Metric {
        COHERENCE("coherence"), LATENT_ACCURACY("latent-accuracy"), FRECHET("frechet");

        final String key;

        Metric(String key) {
            this.key = key;
        }

        /** The metric named {@code name}; the error names {@code where} and lists the known names. */
        static Metric parse(String name, String where) {
            return Arrays.stream(values()).filter(m -> m.key.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(where + ": unknown metric '" + name + "', expected one of "
                            + Arrays.stream(values()).map(m -> m.key).toList()));
        }

        /** The metrics named in {@code names}. */
        static Set<Metric> parseAll(List<String> names, String where) {
            Set<Metric> out = EnumSet.noneOf(Metric.class);
            names.forEach(n -> out.add(parse(n.trim(), where)));
            return out;
        }
    }

    /**
     * What to evaluate on.
     *
     * @param train      the training split, loaded only when a metric needs it
     * @param testLimit  fully observed test rows used (0: all)
     * @param trainLimit fully observed training rows the latent probe trains on (0: all)
     */
    record Context(java.util.function.Supplier<Dataset> train, Dataset test, PosteriorRule rule, boolean concatenated, Path classifierDir, int testLimit,
                   int trainLimit, int batchSize, long seed) {
    }

    /** What came out; a metric not asked for or not applicable is empty. */
    record Results(List<String> skipped, List<ClassJudge> judges, Optional<CoherenceTable.Result> coherence,
                   List<LatentAccuracy.Row> latent, List<SampleFrechet.Distance> frechet) {
    }

    private final Context c;
    private List<ClassJudge> judges; // built at first use
    private Dataset train;           // loaded at first use

    MetricSuite(Context context) {
        this.c = context;
    }

    /** What the suite evaluates on. */
    Context context() {
        return c;
    }

    /** Evaluates {@code metrics} on {@code model} (which it does not change). */
    Results run(MultimodalVae model, Set<Metric> metrics) {
        List<String> skipped = new ArrayList<>();
        if (metrics.isEmpty()) {
            return new Results(skipped, List.of(), Optional.empty(), List.of(), List.of());
        }
        String names = String.join(", ", metrics.stream().map(m -> m.key).toList());
        if (c.concatenated()) {
            skipped.add(names + ": skipped, the concatenated VAE (combination = concat) has one encoder over all modalities"
                    + " together, so it cannot infer z from a subset of them");
            return new Results(skipped, List.of(), Optional.empty(), List.of(), List.of());
        }
        Optional<String> noClass = ClassJudges.notApplicable(c.test());
        if (noClass.isPresent()) {
            skipped.add(names + ": skipped, " + noClass.get() + " to judge generated or encoded values by");
            return new Results(skipped, List.of(), Optional.empty(), List.of(), List.of());
        }
        int[] testRows = fullyObserved(c.test(), c.testLimit());
        if (testRows.length == 0) {
            skipped.add(names + ": skipped, no test row observes every modality");
            return new Results(skipped, List.of(), Optional.empty(), List.of(), List.of());
        }
        List<ClassJudge> j = metrics.contains(Metric.COHERENCE) || metrics.contains(Metric.FRECHET) ? judges() : List.of();
        Optional<CoherenceTable.Result> coherence = Optional.empty();
        if (metrics.contains(Metric.COHERENCE)) {
            coherence = j.isEmpty() ? Optional.empty()
                    : Optional.of(CoherenceTable.evaluate(model, c.rule(), c.test(), testRows, c.batchSize(), j, c.seed()));
            if (j.isEmpty()) {
                skipped.add("coherence: skipped, no modality of " + c.test().name() + " carries the class (an image, a"
                        + " sequence or the label itself)");
            }
        }
        List<LatentAccuracy.Row> latent = List.of();
        if (metrics.contains(Metric.LATENT_ACCURACY)) {
            latent = LatentAccuracy.evaluate(model, c.rule(), train(), fullyObserved(train(), c.trainLimit()), c.test(),
                    testRows, c.batchSize());
        }
        List<SampleFrechet.Distance> frechet = List.of();
        if (metrics.contains(Metric.FRECHET)) {
            frechet = SampleFrechet.evaluate(model, c.rule(), c.test(), testRows, c.batchSize(), j, c.seed());
            if (frechet.isEmpty()) {
                skipped.add("frechet: skipped, no modality of " + c.test().name() + " is judged by a trained classifier");
            }
        }
        return new Results(skipped, j, coherence, latent, frechet);
    }

    /** The class judges (classifiers trained or read from the cache at the first call). */
    List<ClassJudge> judges() {
        if (judges == null) {
            judges = ClassJudges.of(train(), c.test(), c.classifierDir(), ImageClassifier.Settings.DEFAULT);
        }
        return judges;
    }

    private Dataset train() {
        if (train == null) {
            train = c.train().get();
        }
        return train;
    }

    /** The first {@code limit} rows (all when 0) that observe every modality. */
    static int[] fullyObserved(Dataset data, int limit) {
        double[][] p = data.presence().toDoubleMatrix();
        IntStream rows = IntStream.range(0, data.size()).filter(r -> Arrays.stream(p[r]).allMatch(v -> v > 0.5));
        return (limit > 0 ? rows.limit(limit) : rows).toArray();
    }
}
