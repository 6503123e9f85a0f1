package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.data.Seeds;
import chorus.models.evaluation.Summary;
import chorus.models.evaluation.likelihood.LogLikelihood;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoglikeCommandTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static Path checkpoint;

    @BeforeAll
    static void trainedCheckpoint() {
        Path data = TinyRun.fashionMnist(shared.resolve("fashion-mnist"));
        checkpoint = TinyRun.checkpoint(shared.resolve("step-60.ckpt"), TinyRun.config(data), 60);
    }

    private static CliRun loglike(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "loglike";
        args[1] = checkpoint.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return CliRun.of(args);
    }

    /** The mean and standard error printed for {@code quantity}. */
    private static double[] printed(String out, String quantity, int k, int rows) {
        Matcher m = Pattern.compile(Pattern.quote(quantity) + " = (-?\\d+\\.\\d\\d) ± (\\d+\\.\\d\\d) \\(k=" + k + ", "
                + rows + " rows\\)").matcher(out);
        assertTrue(m.find(), quantity + " in:\n" + out);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    @Test
    void printsTheJointTheImageAndTheConditionalAsTheEstimatorComputesThem() {
        CliRun r = loglike("--k", "20", "--limit", "30", "--batch-size", "10");
        assertEquals(0, r.code(), r.err());
        var run = OpenedCheckpoint.open(checkpoint, Map.of());
        double[] joint = new double[30];
        double[] label = new double[30];
        for (int b = 0; b < 3; b++) {
            Batch batch = run.test().batch(b, IntStream.range(10 * b, 10 * b + 10).toArray());
            long seed = Seeds.derive(1, b);
            System.arraycopy(LogLikelihood.logMarginal(run.model(), run.rule(), batch, List.of("image", "label"), 20, 10, seed),
                    0, joint, 10 * b, 10);
            System.arraycopy(LogLikelihood.logMarginal(run.model(), run.rule(), batch, List.of("label"), 20, 10, seed),
                    0, label, 10 * b, 10);
        }
        Summary j = Summary.of(joint);
        assertEquals(j.mean(), printed(r.out(), "log p(image,label)", 20, 30)[0], 0.006);
        assertEquals(j.standardError(), printed(r.out(), "log p(image,label)", 20, 30)[1], 0.006);
        double[] conditional = IntStream.range(0, 30).mapToDouble(i -> joint[i] - label[i]).toArray();
        assertEquals(Summary.of(conditional).mean(), printed(r.out(), "log p(image | label)", 20, 30)[0], 0.006);
        assertTrue(printed(r.out(), "log p(image)", 20, 30)[0] < 0);
    }

    @Test
    void theTableHoldsLogPOfEveryModalityGivenEverySubset() {
        CliRun r = loglike("--k", "6", "--limit", "20", "--batch-size", "10", "--table");
        assertEquals(0, r.code(), r.err());
        var run = OpenedCheckpoint.open(checkpoint, Map.of());
        double[] imageGivenLabel = new double[20];
        for (int b = 0; b < 2; b++) {
            Batch batch = run.test().batch(b, IntStream.range(10 * b, 10 * b + 10).toArray());
            long seed = Seeds.derive(Seeds.derive(1, b), 1); // subset 1 of [image], [label], [image,label]
            System.arraycopy(LogLikelihood.predictive(run.model(), run.rule(), batch, "image", List.of("label"), 6, 10, seed),
                    0, imageGivenLabel, 10 * b, 10);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\n  image +(\\S+) ± \\S+ +(\\S+) ± (\\S+) +(\\S+) ± \\S+\\n")
                .matcher(r.out());
        assertTrue(r.out().matches("(?s).*\\n  m \\\\ S +image +label +image,label\\n.*"), r.out());
        assertTrue(m.find(), r.out());
        assertEquals(Summary.of(imageGivenLabel).mean(), Double.parseDouble(m.group(2)), 0.006);
        assertEquals(Summary.of(imageGivenLabel).standardError(), Double.parseDouble(m.group(3)), 0.006);
        assertTrue(r.out().contains("\n  label "), r.out());
    }

    @Test
    void aMixtureModelIsScoredWithItsMixtureProposal() {
        Path moe = TinyRun.checkpoint(dir.resolve("moe.ckpt"),
                TinyRun.config(shared.resolve("fashion-mnist"), "chorus.model.combination=moe"), 10);
        CliRun r = CliRun.of("loglike", moe.toString(), "--k", "8", "--limit", "10", "--subset", "image,label");
        assertEquals(0, r.code(), r.err());
        var run = OpenedCheckpoint.open(moe, Map.of());
        Batch batch = run.test().batch(0, IntStream.range(0, 10).toArray());
        var mixture = new chorus.models.evaluation.PosteriorRule(chorus.models.ModelSettings.Combination.MOE, false);
        double[] expected = LogLikelihood.logMarginal(run.model(), mixture, batch, List.of("image", "label"), 8, 50,
                Seeds.derive(1, 0));
        assertEquals(Summary.of(expected).mean(), printed(r.out(), "log p(image,label)", 8, 10)[0], 0.006);
    }

    @Test
    void theChunkSizeDoesNotChangeTheResult() {
        CliRun small = loglike("--k", "12", "--limit", "20", "--chunk", "5", "--subset", "image");
        CliRun whole = loglike("--k", "12", "--limit", "20", "--chunk", "12", "--subset", "image");
        assertEquals(0, small.code(), small.err());
        double[] a = printed(small.out(), "log p(image)", 12, 20);
        double[] b = printed(whole.out(), "log p(image)", 12, 20);
        assertEquals(a[0], b[0]);
        assertEquals(a[1], b[1]);
    }

    @Test
    void zeroSamplesIsOneLine() {
        loglike("--k", "0").assertUserError("--k 0: expected at least 1 importance sample per row");
    }

    @Test
    void anUnknownSubsetModalityNamesTheModalities() {
        loglike("--subset", "image,sound").assertUserError("no modality 'sound' in the model of " + checkpoint
                + "; it has [image, label]");
    }

    @Test
    void aCheckpointThatIsNotOneIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("x.ckpt"), "weights");
        CliRun.of("loglike", text.toString()).assertUserError("checkpoint " + text + ": not a Chorus checkpoint");
    }
}
