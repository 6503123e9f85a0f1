package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.Seeds;
import chorus.models.ModelFactory;
import chorus.models.evaluation.coherence.Coherence;
import chorus.models.evaluation.coherence.ImageClassifier;
import chorus.models.evaluation.likelihood.TestElbo;
import chorus.tools.run.Checkpoint;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static Path data;
    private static Path checkpoint;

    @BeforeAll
    static void trainedCheckpoint() {
        data = TinyRun.fashionMnist(shared.resolve("fashion-mnist"));
        checkpoint = TinyRun.checkpoint(shared.resolve("step-120.ckpt"), TinyRun.config(data), 120);
    }

    private CliRun evaluate(Path ckpt, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "evaluate";
        args[1] = ckpt.toString();
        args[2] = "--classifier-dir";
        args[3] = dir.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.of(args);
    }

    private static double percent(String out, String line) {
        Matcher m = Pattern.compile(Pattern.quote(line) + "(\\d+\\.\\d\\d)%").matcher(out);
        assertTrue(m.find(), line + " in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void printsTheTestElboAndCoherenceOfATrainedModel() {
        CliRun r = evaluate(checkpoint, "--limit", "100", "--train-limit", "300");
        assertEquals(0, r.code(), r.err());
        var run = OpenedCheckpoint.open(checkpoint, Map.of());
        TestElbo.Result elbo = TestElbo.evaluate(run.model(), ModelFactory.objective(run.settings(), run.model().modalities()),
                run.test(), 100, 100);
        assertTrue(r.out().contains(String.format("test loss (negative ELBO, beta = 1) = %.3f over 100 rows", elbo.loss())), r.out());

        Dataset train = Datasets.load(DataSettings.from(run.config()), "train");
        ImageClassifier judge = ImageClassifier.cached(dir, train.name() + "-image", train.data(0), train.labels(), 10,
                ImageClassifier.Settings.DEFAULT);
        assertTrue(judge.fromCache(), "evaluate cached the classifier it trained");
        int[] rows = IntStream.range(0, 100).toArray();
        Coherence.Count toLabel = Coherence.Count.NONE;
        Coherence.Count toImage = Coherence.Count.NONE;
        for (Batch b : run.test().batches(rows, 100)) {
            int[] truth = java.util.Arrays.stream(b.rows()).map(i -> run.test().labels()[i]).toArray();
            long s = Seeds.derive(1, b.step());
            toLabel = toLabel.plus(Coherence.cross(run.model(), run.rule(), b, List.of("image"), 1,
                    v -> v.argMax(1).toIntVector(), truth, Seeds.derive(s, 0)));
            toImage = toImage.plus(Coherence.cross(run.model(), run.rule(), b, List.of("label"), 0, judge::predict, truth,
                    Seeds.derive(s, 1)));
        }
        assertEquals(100 * toLabel.accuracy(), cell(r.out(), "image", 1), 0.005);
        assertEquals(100 * toImage.accuracy(), cell(r.out(), "label", 0), 0.005);
        assertTrue(cell(r.out(), "image", 1) > 50, r.out()); // chance is 10%
        assertTrue(percent(r.out(), "test accuracy ") > 95, r.out());           // the classifier on real images
        assertTrue(r.out().contains("synergy (mean cross coherence by number of given modalities): 1: "), r.out());
        assertTrue(r.out().contains("joint coherence (prior samples on which every judge agrees): "), r.out());
        assertTrue(r.out().contains("latent accuracy (linear probe on E[z | X_S], trained on 300 rows, tested on 100):"), r.out());
        assertTrue(r.out().contains("  label->image") || r.out().contains("  label -> image"), r.out());
    }

    /** The percentage in column {@code col} of the coherence table's row for conditioning set {@code given}. */
    private static double cell(String out, String given, int col) {
        Matcher m = Pattern.compile("\\n  " + Pattern.quote(given) + " +(\\S+) +(\\S+)\\n").matcher(out);
        assertTrue(m.find(), given + " row in:\n" + out);
        return Double.parseDouble(m.group(col + 1).replaceAll("[()%]", ""));
    }

    @Test
    void writesEveryNumberAsJson() throws Exception {
        Path file = dir.resolve("eval.json");
        CliRun r = evaluate(checkpoint, "--limit", "50", "--train-limit", "100", "--json", file.toString());
        assertEquals(0, r.code(), r.err());
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        assertEquals(120, root.get("step").asInt());
        assertEquals(3 * 2, root.get("coherence").get("cells").size()); // 3 subsets x 2 judged modalities
        assertEquals(3, root.get("latentAccuracy").size());
        assertEquals(2, root.get("frechet").size()); // label -> image and prior -> image
        assertTrue(root.get("testElbo").get("loss").asDouble() > 0);
    }

    @Test
    void anUnknownMetricIsOneLineListingTheKnownOnes() {
        evaluate(checkpoint, "--metrics", "coherence,fid").assertUserError(
                "--metrics: unknown metric 'fid', expected one of [coherence, latent-accuracy, frechet]");
    }

    @Test
    void theSecondRunReadsTheClassifierFromTheCache() {
        assertTrue(evaluate(checkpoint, "--limit", "20", "--metrics", "coherence").out().contains("(trained)"));
        CliRun again = evaluate(checkpoint, "--limit", "20", "--metrics", "coherence");
        assertTrue(again.out().contains("(read from the cache)"), again.out());
    }

    @Test
    void aCheckpointWhoseNetworksDoNotMatchItsConfigNamesBoth() {
        Config wider = TinyRun.config(data, "chorus.model.modalities.image.hidden=[40]");
        Checkpoint narrow = Checkpoint.read(checkpoint);
        Path mixed = dir.resolve("mixed.ckpt");
        Checkpoint.of(120, BatchIterator.Cursor.START, wider, narrow.networks()).write(mixed);
        evaluate(mixed).assertUserError("checkpoint " + mixed + " was written for a different model: encoder/image has "
                + narrow.networks().get(0).params().length() + " parameters, this config builds ");
    }

    @Test
    void aMissingCheckpointIsNamed() {
        Path missing = dir.resolve("gone.ckpt");
        evaluate(missing).assertUserError("checkpoint " + missing + ": no such file");
    }
}
