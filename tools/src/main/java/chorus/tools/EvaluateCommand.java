package chorus.tools;

import chorus.data.Batch;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.ModelFactory;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Coherence;
import chorus.models.evaluation.ImageClassifier;
import chorus.models.evaluation.TestElbo;
import chorus.models.objective.TermValue;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus evaluate}: a checkpoint's test ELBO terms ({@link TestElbo}) and, for an image + label
 * model, cross-modal coherence ({@link Coherence}): image-to-label accuracy, and label-to-image accuracy as
 * judged by an {@link ImageClassifier} trained on the real training images (cached; its own test accuracy
 * is printed beside, as the ceiling of what generated images can score). With private latents the
 * generated modality's private part comes from the prior; the concatenated VAE, which cannot encode one
 * modality alone, gets its test ELBO and a line saying why coherence is skipped, as does a model without a
 * categorical label (CelebA's attributes are Bernoulli, so there is no class to judge images by).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Test ELBO terms and image/label coherence of a checkpoint's model.",
                "Coherence: image -> label accuracy (label decoded at the mean of q(z | image)) and label -> image"
                        + " accuracy (images from q(z | label), judged by a classifier trained on the real training images"
                        + " and cached). Only chorus.data.* may be overridden with -D."})
final class EvaluateCommand extends CommonOptions.Holder implements Callable<Integer> {

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint file written by chorus train.")
    Path checkpoint;

    @Option(names = "--limit", defaultValue = "0", description = "Use the first N test rows (default: all).")
    int limit;

    @Option(names = "--batch-size", defaultValue = "100", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the label -> image samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--classifier-dir", paramLabel = "DIR",
            description = "Where the image classifier is cached (default: ~/.chorus/classifiers).")
    Path classifierDir;

    @Override
    public Integer call() {
        if (limit < 0 || batchSize < 1) {
            throw new IllegalArgumentException("--limit " + limit + ", --batch-size " + batchSize
                    + ": expected a limit >= 0 (0: all rows) and a batch size >= 1");
        }
        OpenedCheckpoint run = OpenedCheckpoint.open(checkpoint, common.overrides());
        MultimodalVae model = run.model();
        Dataset test = run.test();
        System.out.printf("evaluate: %s%n", run.describe());
        TestElbo.Result elbo = TestElbo.evaluate(model, ModelFactory.objective(run.settings(), test.modalities()), test,
                batchSize, limit, run.input());
        System.out.printf("test loss (negative ELBO, beta = 1) = %.3f over %d rows%n", elbo.loss(), elbo.rows());
        for (TermValue t : elbo.terms()) {
            System.out.printf("  %-24s %.3f%n", t.name(), t.value());
        }
        if (run.concatenated()) {
            System.out.println("coherence: skipped, the concatenated VAE (combination = concat) has one encoder over all"
                    + " modalities together, so it cannot infer z from the image or the label alone");
            return 0;
        }
        int image = Roles.image(model.modalities());
        int label = Roles.label(model.modalities());
        int sequence = IntStream.range(0, model.modalities().size())
                .filter(j -> model.modalities().get(j).kind() == Modality.Kind.SEQUENCE).findFirst().orElse(-1);
        if (image >= 0 && sequence >= 0) {
            Coherence.Count toText = new Coherence.Count(0, 0);
            Coherence.Count textToText = new Coherence.Count(0, 0);
            for (Batch b : test.batches(bothObserved(test, image, sequence, limit), batchSize)) {
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
        if (image < 0 || label < 0) {
            System.out.println("coherence: skipped, image/label coherence and its image classifier need an image and a"
                    + " categorical label modality; this model has " + (image < 0 ? "no image" : "no categorical label")
                    + " (" + test.name() + ": " + String.join(", ", test.modalities().stream().map(m -> m.name()).limit(4)
                    .toList()) + (test.modalities().size() > 4 ? ", ..." : "") + ")");
            return 0;
        }
        int[] rows = bothObserved(test, image, label, limit);
        Coherence.Count toLabel = new Coherence.Count(0, 0);
        Coherence.Count toImage = new Coherence.Count(0, 0);
        ImageClassifier classifier = classifier(run, image, label);
        for (Batch b : test.batches(rows, batchSize)) {
            toLabel = toLabel.plus(Coherence.imageToLabel(model, run.rule(), b, image, label));
            toImage = toImage.plus(Coherence.labelToImage(model, run.rule(), b, image, label, classifier::predict,
                    Seeds.derive(seed, b.step())));
        }
        String i = model.modalities().get(image).name();
        String l = model.modalities().get(label).name();
        System.out.printf("%s -> %s accuracy: %.2f%% (%d rows; %s decoded at the mean of q(z | %s))%n", i, l,
                100 * toLabel.accuracy(), toLabel.rows(), l, i);
        System.out.printf("%s -> %s accuracy: %.2f%% (%d rows; one image from q(z | %s) per row, judged by the classifier)%n",
                l, i, 100 * toImage.accuracy(), toImage.rows(), l);
        return 0;
    }

    /** The cached classifier of this dataset's training images, and a line on where it came from and how good it is. */
    private ImageClassifier classifier(OpenedCheckpoint run, int image, int label) {
        long started = System.nanoTime();
        Dataset train = Datasets.load(DataSettings.from(run.config()), "train");
        int classes = train.modalities().get(label).size();
        Path dir = classifierDir != null ? classifierDir : ImageClassifier.defaultDirectory();
        int[] trainLabels = train.data(label).argMax(1).toIntVector(); // every row's class, observed or masked
        ImageClassifier c = ImageClassifier.cached(dir, train.name(), train.data(image), trainLabels, classes,
                ImageClassifier.Settings.DEFAULT);
        int[] testLabels = run.test().data(label).argMax(1).toIntVector();
        System.out.printf("classifier: %s (%s in %.1f s), test accuracy %.2f%% on %d real images%n",
                ImageClassifier.cacheFile(dir, train.name(), train.data(image), trainLabels, classes, ImageClassifier.Settings.DEFAULT),
                c.fromCache() ? "read from the cache" : "trained", (System.nanoTime() - started) / 1e9,
                100 * c.accuracy(run.test().data(image), testLabels), testLabels.length);
        return c;
    }

    /** The first {@code limit} rows (all when 0) that observe both modalities (the image and the label or text). */
    private static int[] bothObserved(Dataset test, int image, int label, int limit) {
        double[][] p = test.presence().toDoubleMatrix();
        IntStream rows = IntStream.range(0, test.size()).filter(r -> p[r][image] > 0.5 && p[r][label] > 0.5);
        return (limit > 0 ? rows.limit(limit) : rows).toArray();
    }
}
