package chorus.tools;

import chorus.data.Modality;
import chorus.data.generated.TwoViews;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.coherence.ImageClassifier;
import chorus.models.factors.LatentGroups;
import chorus.models.factors.LinearProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus factors}: for a checkpoint trained on {@code twoviews}, how well each latent group
 * ({@link LatentGroups}) predicts each known factor of the test rows (held-out linear probes, {@link LinearProbe}),
 * and a traversal PNG per group (both views decoded while one unit of the group sweeps, the others at a test
 * row's posterior mean): whether the shared units hold identity and shift and the private ones each view's own.
 */
@Command(name = "factors", mixinStandardHelpOptions = true,
        description = {"For a checkpoint trained on twoviews: a table of how well each latent group predicts each known"
                + " factor (identity: accuracy of a linear classifier; shift, rotation, brightness: R^2 of a ridge"
                + " regression; fitted on the first half of the test rows, scored on the second), and a traversal PNG"
                + " per group in --out (per unit, view1 then view2, the unit swept over [-3, 3] around a test row's"
                + " posterior mean).", "Only chorus.data.* may be overridden with -D."})
final class FactorsCommand extends CommonOptions.Holder implements Callable<Integer> {

    private static final int BATCH = 500;
    private static final int STEPS = 7;
    private static final double RANGE = 3.0;

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint file written by chorus train on twoviews.")
    private Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for traversal-<group>.png.")
    private Path out;

    @Option(names = "--limit", defaultValue = "10000", description = "Test rows probed (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--row", defaultValue = "0", description = "The test row whose posterior mean the traversals start from.")
    private int row;

    @Override
    public Integer call() throws Exception {
        if (limit < 20) {
            throw new IllegalArgumentException("--limit " + limit + ": expected at least 20 test rows (half fit, half scored)");
        }
        OpenedCheckpoint run = OpenedCheckpoint.open(checkpoint, common.overrides());
        if (!run.test().name().equals(TwoViews.NAME)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + ": trained on " + run.test().name()
                    + ", expected " + TwoViews.NAME + " (the dataset whose factors are known)");
        }
        Files.createDirectories(out);
        MultimodalVae model = run.model();
        List<Modality> data = run.test().modalities();
        INDArray means = LatentGroups.means(model, run.settings(), run.test(), limit, BATCH);      // [N, D]
        int n = (int) means.size(0);
        long seed = chorus.data.config.Settings.longValue(run.config(), "chorus.data.seed");
        TwoViews.Factors f = TwoViews.factors(run.test(), seed);
        int[] fit = java.util.stream.IntStream.range(0, n / 2).toArray();
        int[] score = java.util.stream.IntStream.range(n / 2, n).toArray();
        System.out.printf("factors: %s, %d test rows (fit %d, scored %d)%n", run.describe(), n, fit.length, score.length);
        System.out.printf("%-16s %6s %9s %9s %9s %9s%n", "group", "units", "identity", "shift", "rotation", "brightness");
        for (LatentGroups.Group g : LatentGroups.groups(run.settings(), data)) {
            INDArray x = Nd4j.pullRows(means.castTo(DataType.DOUBLE).transpose().dup(), 1, g.columns()).transpose().dup(); // [N, d]
            StringBuilder line = new StringBuilder(String.format("%-16s %6d %9.3f", g.name(), g.columns().length,
                    LinearProbe.accuracy(x, java.util.Arrays.copyOf(f.identity(), n), 10, fit, score)));
            for (int k = 0; k < TwoViews.FACTORS.size(); k++) {
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    y[i] = f.values()[i][k];
                }
                line.append(String.format(" %9.3f", LinearProbe.rSquared(x, y, fit, score)));
            }
            System.out.println(line);
            Path png = out.resolve("traversal-" + g.name().replace(':', '-') + ".png");
            traverse(model, run, data, means.getRow(row).reshape(1, means.size(1)), g, png);
            System.out.println("  wrote " + png);
        }
        System.out.println("identity: accuracy (chance 0.100); shift, rotation, brightness: R^2 (chance 0); shift is shared,"
                + " rotation belongs to view1, brightness to view2");
        if (run.settings().combination() != chorus.models.ModelSettings.Combination.CONCAT) {
            crossPrediction(model, run, data, f.identity(), fit, score);
        }
        return 0;
    }

    /**
     * Cross-modal prediction (the notes' section 5): for each target view, a classifier of its identity trained on the
     * fit rows' real images ({@link ImageClassifier}), scored on the scored rows' real images and on the images
     * decoded from the mean of q(z | the other view), the target's private part at the prior mean.
     */
    private static void crossPrediction(MultimodalVae model, OpenedCheckpoint run, List<Modality> data, int[] identity,
                                        int[] fit, int[] score) {
        int[] fitLabels = java.util.Arrays.stream(fit).map(i -> identity[i]).toArray();
        int[] scoreLabels = java.util.Arrays.stream(score).map(i -> identity[i]).toArray();
        for (int target = 0; target < data.size(); target++) {
            int given = 1 - target;
            ImageClassifier classifier = ImageClassifier.train(run.test().batch(0, fit).tensors().get(target), fitLabels, 10,
                    ImageClassifier.Settings.DEFAULT);
            double real = classifier.accuracy(run.test().batch(0, score).tensors().get(target), scoreLabels);
            List<INDArray> predicted = new ArrayList<>();
            for (int from = 0; from < score.length; from += BATCH) {
                int[] rows = java.util.Arrays.copyOfRange(score, from, Math.min(score.length, from + BATCH));
                INDArray z = LatentGroups.givenOne(model, run.settings(), run.test(), given, rows);   // [B, D]
                predicted.add(LatentGroups.decode(model, run.settings(), data, z).get(target).castTo(DataType.FLOAT));
            }
            double cross = classifier.accuracy(Nd4j.concat(0, predicted.toArray(INDArray[]::new)), scoreLabels);
            System.out.printf("cross-prediction %s -> %s: identity accuracy %.3f (the classifier on real %s images: %.3f)%n",
                    data.get(given).name(), data.get(target).name(), cross, data.get(target).name(), real);
        }
    }

    /** Per unit of the group: a row of view1 images, then a row of view2 images, as the unit sweeps. */
    private static void traverse(MultimodalVae model, OpenedCheckpoint run, List<Modality> data, INDArray base,
                                 LatentGroups.Group g, Path png) throws java.io.IOException {
        List<INDArray> cells = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int unit : g.columns()) {
            INDArray z = Nd4j.repeat(base, STEPS).reshape(STEPS, base.size(1)).dup();                 // [S, D]
            for (int s = 0; s < STEPS; s++) {
                z.putScalar(s, unit, base.getDouble(0, unit) + RANGE * (2.0 * s / (STEPS - 1) - 1.0));
            }
            List<INDArray> views = LatentGroups.decode(model, run.settings(), data, z);
            for (int m = 0; m < data.size(); m++) {
                cells.add(views.get(m).castTo(DataType.FLOAT));
                for (int s = 0; s < STEPS; s++) {
                    captions.add(s == 0 ? "z" + unit + " " + data.get(m).name() : "");
                }
            }
        }
        int[] shape = data.get(0).shape();
        ImageGrid.write(png, Nd4j.concat(0, cells.toArray(INDArray[]::new)), shape[0], shape[1], shape[2], STEPS, 2, captions);
    }
}
