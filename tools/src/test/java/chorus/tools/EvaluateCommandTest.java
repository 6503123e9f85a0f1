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
import chorus.models.evaluation.Coherence;
import chorus.models.evaluation.ImageClassifier;
import chorus.models.evaluation.TestElbo;
import chorus.tools.run.Checkpoint;
import com.typesafe.config.Config;
import java.nio.file.Path;
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
        CliRun r = evaluate(checkpoint, "--limit", "100");
        assertEquals(0, r.code(), r.err());
        var run = OpenedCheckpoint.open(checkpoint, Map.of());
        TestElbo.Result elbo = TestElbo.evaluate(run.model(), ModelFactory.objective(run.settings(), run.model().modalities()),
                run.test(), 100, 100);
        assertTrue(r.out().contains(String.format("test loss (negative ELBO, beta = 1) = %.3f over 100 rows", elbo.loss())), r.out());

        Dataset train = Datasets.load(DataSettings.from(run.config()), "train");
        ImageClassifier judge = ImageClassifier.cached(dir, train.name(), train.data(0),
                train.data(1).argMax(1).toIntVector(), 10, ImageClassifier.Settings.DEFAULT);
        assertTrue(judge.fromCache(), "evaluate cached the classifier it trained");
        Batch rows = run.test().batch(0, IntStream.range(0, 100).toArray());
        Coherence.Count toLabel = Coherence.imageToLabel(run.model(), run.rule(), rows, 0, 1);
        Coherence.Count toImage = Coherence.labelToImage(run.model(), run.rule(), rows, 0, 1, judge::predict, Seeds.derive(1, 0));
        assertEquals(100 * toLabel.accuracy(), percent(r.out(), "image -> label accuracy: "), 0.005);
        assertEquals(100 * toImage.accuracy(), percent(r.out(), "label -> image accuracy: "), 0.005);
        assertTrue(percent(r.out(), "image -> label accuracy: ") > 50, r.out()); // chance is 10%
        assertTrue(percent(r.out(), "test accuracy ") > 95, r.out());           // the classifier on real images
    }

    @Test
    void theSecondRunReadsTheClassifierFromTheCache() {
        assertTrue(evaluate(checkpoint, "--limit", "20").out().contains("(trained in"));
        CliRun again = evaluate(checkpoint, "--limit", "20");
        assertTrue(again.out().contains("(read from the cache in"), again.out());
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
