package chorus.tools;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.MultimodalVae;
import chorus.models.concat.Concatenation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.Summary;
import chorus.models.evaluation.likelihood.LogLikelihood;
import chorus.tools.console.Progress;
import chorus.tools.evaluation.LikelihoodTable;
import chorus.tools.evaluation.OpenedCheckpoint;
import chorus.tools.evaluation.Roles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus loglike}: importance-sampled test log-likelihoods of a checkpoint's model (Burda et al.
 * 2016), as the MVAE and MMVAE papers report them: log p(X_subset) and, for an image + label model,
 * log p(image) and log p(image | label) = log p(image, label) - log p(label), each as mean ± standard
 * error over the test rows that observe every modality involved. With private latents the proposal and prior
 * cover every modality's private part (those outside the subset cancel); the concatenated VAE reports only
 * log p(all modalities), through its joint modality.
 */
@Command(name = "loglike", mixinStandardHelpOptions = true,
        description = {"Importance-sampled test log-likelihoods of a checkpoint's model (mean ± standard error).",
                "Reports log p(X_subset) and, for a model with an image and a label, log p(image) and log p(image | label)"
                        + " = log p(image, label) - log p(label). Only chorus.data.* may be overridden with -D."})
final class LoglikeCommand extends CommonOptions.Holder implements Callable<Integer> {

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint file written by chorus train.")
    Path checkpoint;

    @Option(names = "--k", defaultValue = "1000", description = "Importance samples per row (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--subset", split = ",", paramLabel = "MODALITY",
            description = "The modalities of the joint, comma-separated (default: all of them).")
    List<String> subset;

    @Option(names = "--limit", defaultValue = "0", description = "Use the first N test rows (default: all).")
    int limit;

    @Option(names = "--batch-size", defaultValue = "100", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--chunk", defaultValue = "0",
            description = "Samples decoded at once per row; memory grows with chunk x batch size (default: 5000 / batch size).")
    int chunk;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the importance samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--table", description = "Also the table of log p(x_m | x_S) for every modality m and conditioning set S.")
    boolean table;

    @Override
    public Integer call() {
        if (k < 1) {
            throw new IllegalArgumentException("--k " + k + ": expected at least 1 importance sample per row");
        }
        if (batchSize < 1 || chunk < 0 || limit < 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + ", --chunk " + chunk + ", --limit " + limit
                    + ": expected a batch size >= 1, a chunk >= 1 (0: automatic) and a limit >= 0 (0: all rows)");
        }
        int perChunk = chunk > 0 ? chunk : Math.max(1, 5000 / batchSize);
        OpenedCheckpoint run = OpenedCheckpoint.open(checkpoint, common.overrides());
        if (run.rule().deterministic()) {
            throw new IllegalArgumentException(checkpoint + ": loglike does not apply to " + run.settings().describe()
                    + ": its encoders are deterministic (a Wasserstein autoencoder), so q(z | x) has no density to importance-sample with");
        }
        MultimodalVae model = run.model();
        List<Modality> data = run.test().modalities();
        List<String> names = data.stream().map(Modality::name).toList();
        List<String> joint = subset == null || subset.isEmpty() ? names : subset;
        joint.forEach(name -> Modality.indexOf(data, name, "the model of " + checkpoint));
        Map<String, Quantity> quantities = run.concatenated() ? concatenated(joint, names) : quantities(model, joint);
        Set<String> needed = new LinkedHashSet<>();
        if (run.concatenated()) {
            needed.addAll(names); // its joint modality holds them all
        } else {
            quantities.values().forEach(q -> needed.addAll(q.involved()));
        }
        int[] rows = observing(run.test(), needed, limit);
        if (rows.length == 0) {
            throw new IllegalArgumentException(run.test().name() + "/test: no row observes every modality of " + needed);
        }
        System.out.printf("loglike: %s, %d test rows, k=%d in chunks of %d, seed %d%n", run.describe(), rows.length, k,
                perChunk, seed);
        if (run.concatenated() && Roles.image(data) >= 0 && Roles.label(data) >= 0) {
            System.out.printf("log p(%1$s) and log p(%1$s | %2$s): skipped, the concatenated VAE has no encoder for the %1$s"
                    + " alone%n", data.get(Roles.image(data)).name(), data.get(Roles.label(data)).name());
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        quantities.keySet().forEach(name -> values.put(name, new double[rows.length]));
        long started = System.nanoTime();
        try (Progress progress = Progress.console("loglike", rows.length, "rows")) {
            progress.update(0); // show the bar before the first batch, which takes a while at large k
            int from = 0;
            for (Batch raw : run.test().batches(rows, batchSize)) {
                Batch batch = run.input().apply(raw);
                Map<List<String>, double[]> marginals = new LinkedHashMap<>();
                long batchSeed = Seeds.derive(seed, raw.step()); // rows of different batches get independent noise
                for (var q : quantities.entrySet()) {
                    double[] v = q.getValue().estimate(model, run.rule(), batch, marginals, k, perChunk, batchSeed);
                    System.arraycopy(v, 0, values.get(q.getKey()), from, v.length);
                }
                from += raw.size();
                progress.update(from);
            }
        }
        for (var e : values.entrySet()) {
            Summary s = Summary.of(e.getValue());
            System.out.printf("%s = %.2f ± %.2f (k=%d, %d rows)%n", e.getKey(), s.mean(), s.standardError(), k, s.rows());
        }
        if (table) {
            if (run.concatenated()) {
                System.out.println("table of log p(x_m | x_S): skipped, the concatenated VAE (combination = concat) has one"
                        + " encoder over all modalities together, so it cannot infer z from a subset of them");
            } else {
                int[] all = observing(run.test(), new LinkedHashSet<>(names), limit);
                LikelihoodTable.print(model, run.rule(), run.input(), run.test(), all, batchSize, k, perChunk, seed, System.out);
            }
        }
        System.out.printf("took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** A log-likelihood to report: log p(A | B) = log p(A, B) - log p(B), with B empty for a marginal. */
    private record Quantity(List<String> targets, List<String> given) {

        List<String> involved() {
            List<String> all = new ArrayList<>(targets);
            all.addAll(given);
            return all;
        }

        /** Per-row estimates, sharing marginals already computed for this batch. */
        double[] estimate(MultimodalVae model, PosteriorRule rule, Batch batch, Map<List<String>, double[]> marginals,
                int k, int chunk, long seed) {
            double[] both = marginal(model, rule, batch, involved(), marginals, k, chunk, seed);
            if (given.isEmpty()) {
                return both;
            }
            double[] cond = marginal(model, rule, batch, given, marginals, k, chunk, seed);
            return IntStream.range(0, both.length).mapToDouble(i -> both[i] - cond[i]).toArray();
        }

        private static double[] marginal(MultimodalVae model, PosteriorRule rule, Batch batch, List<String> subset,
                Map<List<String>, double[]> marginals, int k, int chunk, long seed) {
            List<String> key = subset.stream().sorted().toList();
            return marginals.computeIfAbsent(key, s -> LogLikelihood.logMarginal(model, rule, batch, s, k, chunk, seed));
        }
    }

    /** log p(joint), then log p(image) and log p(image | label) when the model has both. */
    private static Map<String, Quantity> quantities(MultimodalVae model, List<String> joint) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        out.put("log p(" + String.join(",", joint) + ")", new Quantity(List.copyOf(joint), List.of()));
        int image = Roles.image(model.modalities());
        int label = Roles.label(model.modalities());
        if (image >= 0 && label >= 0) {
            String i = model.modalities().get(image).name();
            String l = model.modalities().get(label).name();
            out.putIfAbsent("log p(" + i + ")", new Quantity(List.of(i), List.of()));
            out.put("log p(" + i + " | " + l + ")", new Quantity(List.of(i), List.of(l)));
        }
        return out;
    }

    /**
     * The concatenated VAE's one quantity: log p(every modality), scored through its joint modality (it has
     * no encoder for a subset, so {@code --subset} may only name them all).
     */
    private static Map<String, Quantity> concatenated(List<String> joint, List<String> names) {
        if (!new HashSet<>(joint).equals(new HashSet<>(names))) {
            throw new IllegalArgumentException("--subset " + String.join(",", joint) + ": the concatenated VAE (combination"
                    + " = concat) has one encoder over all modalities together and scores only their joint, "
                    + String.join(",", names));
        }
        return Map.of("log p(" + String.join(",", names) + ")", new Quantity(List.of(Concatenation.NAME), List.of()));
    }

    /** The first {@code limit} rows (all when 0) observing every modality in {@code names}. */
    private static int[] observing(Dataset test, Set<String> names, int limit) {
        int[] cols = names.stream().mapToInt(test::indexOf).toArray();
        double[][] presence = test.presence().toDoubleMatrix();
        IntStream rows = IntStream.range(0, test.size())
                .filter(r -> Arrays.stream(cols).allMatch(c -> presence[r][c] > 0.5));
        return (limit > 0 ? rows.limit(limit) : rows).toArray();
    }
}
