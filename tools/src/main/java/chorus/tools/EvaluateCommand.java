package chorus.tools;

import chorus.data.Batch;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.Modality;
import chorus.models.ModelFactory;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.coherence.Coherence;
import chorus.models.evaluation.coherence.ImageClassifier;
import chorus.models.evaluation.coherence.LatentAccuracy;
import chorus.models.evaluation.likelihood.TestElbo;
import chorus.models.objective.TermValue;
import chorus.tools.evaluation.MetricReport;
import chorus.tools.evaluation.MetricSuite;
import chorus.tools.evaluation.OpenedCheckpoint;
import chorus.tools.evaluation.Roles;
import chorus.tools.plots.EmbeddingPlot;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus evaluate}: a checkpoint's test ELBO terms ({@link TestElbo}) and every metric of {@link
 * MetricSuite} that applies to its model and dataset — coherence of every conditioning set with every
 * modality carrying the class (judged by classifiers Chorus trains and caches, whose own test accuracy is
 * printed), joint coherence and synergy, the latent linear probe, the Fréchet distance of generated values —
 * printed as tables and, with {@code --json FILE}, written as JSON. A metric that does not apply is one line
 * saying why.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Test ELBO terms, coherence (every subset -> every modality carrying the class, joint, synergy),"
                + " latent linear-probe accuracy and Frechet distances of a checkpoint's model.",
                "Only chorus.data.* may be overridden with -D."})
final class EvaluateCommand extends CommonOptions.Holder implements Callable<Integer> {

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint file written by chorus train.")
    Path checkpoint;

    @Option(names = "--limit", defaultValue = "0", description = "Use the first N test rows (default: all).")
    int limit;

    @Option(names = "--train-limit", defaultValue = "10000",
            description = "Training rows the latent probe trains on (default: ${DEFAULT-VALUE}; 0: all).")
    int trainLimit;

    @Option(names = "--batch-size", defaultValue = "100", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--per-encoder", description = "Also the latent linear probe on each encoder's own posterior mean E[z | x_m],"
            + " every encoder of the model (fummvae: its MMVAE's experts and its unimodal VAEs', as the seed notes' table).")
    boolean perEncoder;

    @Option(names = "--metrics", split = ",", paramLabel = "NAME",
            description = "Metrics to compute: coherence, latent-accuracy, frechet (default: all).")
    List<String> metrics;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every number as JSON to FILE.")
    Path json;

    @Option(names = "--embeddings", paramLabel = "FILE.png",
            description = "Also draw E[z | x_m] of 500 test rows per modality and p(z) samples in 2-D (PCA) to FILE.png.")
    Path embeddings;

    @Option(names = "--classifier-dir", paramLabel = "DIR",
            description = "Where the classifiers are cached (default: ~/.chorus/classifiers).")
    Path classifierDir;

    @Override
    public Integer call() {
        if (limit < 0 || trainLimit < 0 || batchSize < 1) {
            throw new IllegalArgumentException("--limit " + limit + ", --train-limit " + trainLimit + ", --batch-size "
                    + batchSize + ": expected limits >= 0 (0: all rows) and a batch size >= 1");
        }
        var chosen = MetricSuite.Metric.parseAll(metrics == null ? List.of("coherence", "latent-accuracy", "frechet") : metrics,
                "--metrics");
        OpenedCheckpoint run = OpenedCheckpoint.open(checkpoint, common.overrides());
        MultimodalVae trained = run.model();
        MultimodalVae model = ModelFactory.evaluated(run.settings(), trained); // fummvae: its MMVAE
        Dataset test = run.test();
        System.out.printf("evaluate: %s%n", run.describe());
        TestElbo.Result elbo = TestElbo.evaluate(trained, ModelFactory.objective(run.settings(), test.modalities()), test,
                batchSize, limit, run.input());
        System.out.printf("test loss (%s, beta = 1) = %.3f over %d rows%n", run.rule().deterministic()
                ? "the model's objective: reconstructions, MMD and surrogate terms, no ELBO" : "negative ELBO", elbo.loss(), elbo.rows());
        for (TermValue t : elbo.terms()) {
            System.out.printf("  %-24s %.3f%n", t.name(), t.value());
        }
        MetricSuite suite = new MetricSuite(new MetricSuite.Context(() -> Datasets.load(DataSettings.from(run.config()), "train"), test, run.rule(), run.concatenated(),
                classifierDir != null ? classifierDir : ImageClassifier.defaultDirectory(), limit, trainLimit, batchSize, seed));
        long started = System.nanoTime();
        MetricSuite.Results results = suite.run(model, chosen);
        MetricReport.print(results, System.out);
        System.out.printf("metrics took %.1f s%n", (System.nanoTime() - started) / 1e9);
        if (!run.concatenated()) {
            printTextAccuracy(model, run, test);
        }
        if (perEncoder) {
            Dataset train = Datasets.load(DataSettings.from(run.config()), "train");
            var rows = LatentAccuracy.perEncoder(trained, run.input(), train, MetricSuite.fullyObserved(train, trainLimit), test,
                    MetricSuite.fullyObserved(test, limit), batchSize);
            System.out.println("latent accuracy per encoder (linear probe of the class on E[z | x_m] of that encoder alone):");
            rows.forEach(r -> System.out.printf("  %-24s %6.2f%% (%d train / %d test rows)%n", r.encoder(), 100 * r.accuracy(),
                    r.trainRows(), r.testRows()));
        }
        if (json != null) {
            write(run, elbo, results);
        }
        if (embeddings != null) {
            if (run.concatenated()) {
                System.out.println("embeddings: skipped, the concatenated VAE has no encoder for one modality alone");
            } else {
                int label = Roles.label(test.modalities());
                EmbeddingPlot.write(model, run.rule(), test, MetricSuite.fullyObserved(test, 500),
                        label < 0 ? List.of() : Roles.classNames(test.name(), test.modalities().get(label)), seed, embeddings);
                System.out.println("wrote " + embeddings + " (PCA of the posterior means and prior samples)");
            }
        }
        return 0;
    }

    /**
     * With an image and a sequence modality (MultiMNIST): how often the text decoded greedily at the mean of
     * q(z | image), and of q(z | text), is exactly the row's text.
     */
    private void printTextAccuracy(MultimodalVae model, OpenedCheckpoint run, Dataset test) {
        int image = Roles.image(model.modalities());
        int sequence = IntStream.range(0, model.modalities().size())
                .filter(j -> model.modalities().get(j).kind() == Modality.Kind.SEQUENCE).findFirst().orElse(-1);
        if (image < 0 || sequence < 0) {
            return;
        }
        double[][] p = test.presence().toDoubleMatrix();
        IntStream both = IntStream.range(0, test.size()).filter(r -> p[r][image] > 0.5 && p[r][sequence] > 0.5);
        int[] rows = (limit > 0 ? both.limit(limit) : both).toArray();
        Coherence.Count toText = Coherence.Count.NONE;
        Coherence.Count textToText = Coherence.Count.NONE;
        for (Batch b : test.batches(rows, batchSize)) {
            toText = toText.plus(Coherence.imageToSequence(model, run.rule(), b, image, sequence));
            textToText = textToText.plus(Coherence.imageToSequence(model, run.rule(), b, sequence, sequence));
        }
        String i = model.modalities().get(image).name();
        String t = model.modalities().get(sequence).name();
        System.out.printf("%s -> %s exact-match accuracy: %.2f%% (%d rows; %s decoded greedily at the mean of q(z | %s))%n",
                i, t, 100 * toText.accuracy(), toText.rows(), t, i);
        System.out.printf("%s -> %s (reconstruction) exact-match accuracy: %.2f%% (%d rows)%n", t, t,
                100 * textToText.accuracy(), textToText.rows());
    }

    private void write(OpenedCheckpoint run, TestElbo.Result elbo, MetricSuite.Results results) {
        ObjectNode root = MetricReport.json(results);
        root.put("checkpoint", checkpoint.toString()).put("step", run.checkpoint().step()).put("model", run.settings().describe())
                .put("dataset", run.test().name());
        ObjectNode e = root.putObject("testElbo");
        e.put("loss", elbo.loss()).put("rows", elbo.rows());
        elbo.terms().forEach(t -> e.put(t.name(), t.value()));
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        } catch (IOException ex) {
            throw new UncheckedIOException("--json " + json + ": cannot write (" + ex.getMessage() + ")", ex);
        }
        System.out.println("wrote " + json);
    }
}
