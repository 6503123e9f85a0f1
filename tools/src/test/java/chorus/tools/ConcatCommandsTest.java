package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.tools.run.Checkpoint;
import chorus.tools.run.NetworkState;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus.model.combination = concat} end to end: train, exact resume, evaluate, sample, loglike,
 * and a clear line wherever a figure needs an encoder for one modality alone.
 */
class ConcatCommandsTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static VariantRun run;

    @BeforeAll
    static void trained() {
        run = VariantRun.train(shared, Map.of("chorus.model.combination", "concat", "chorus.model.concat-hidden", "[32]",
                "chorus.model.modalities.label.weight", "5"),
                "chorus.model.modalities.image.hidden", "chorus.model.modalities.label.hidden"); // one MLP over both
    }

    @Test
    void trainingCheckpointsTheJointNetworksAndDrawsNoLabelToImageGrid() {
        assertEquals(List.of("encoder/joint", "decoder/joint"),
                Checkpoint.read(run.checkpoint()).networks().stream().map(NetworkState::name).toList());
        assertTrue(Files.exists(run.straight().resolve("samples/step-12-reconstruction.png")));
        assertTrue(Files.exists(run.straight().resolve("samples/step-12-prior.png")));
        assertFalse(Files.exists(run.straight().resolve("samples/step-12-label-to-image.png")));
    }

    @Test
    void lossesAreFiniteAndAResumedRunReproducesThemAndItsParameters() {
        run.assertLossesFiniteAndReproduced();
        run.assertResumedExactly();
    }

    @Test
    void evaluatePrintsTheTestElboAndWhyCoherenceIsSkipped() {
        CliRun r = CliRun.of("evaluate", run.checkpoint().toString(), "--limit", "40", "--classifier-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("concat, latent 4"), r.out());
        assertTrue(r.out().contains("over 40 rows") && r.out().contains("nll[joint]") && r.out().contains("kl[joint]"), r.out());
        assertTrue(r.out().contains("coherence, latent-accuracy, frechet: skipped, the concatenated VAE"), r.out());
    }

    @Test
    void priorSamplesAreDrawnAndCaptionedWithTheDecodedClass() throws IOException {
        Path png = dir.resolve("prior.png");
        CliRun r = CliRun.of("sample", run.checkpoint().toString(), "--n", "16", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(4 * (28 * 2 + 2 + 12), img.getHeight()); // 4 rows of 28x28 at zoom 2, each with a caption line
    }

    @Test
    void conditioningIsOneLineSayingWhyAndWritesNothing() {
        Path out = dir.resolve("given.png");
        CliRun.of("sample", run.checkpoint().toString(), "--condition", "label=3", "--out", out.toString())
                .assertUserError("--condition label=3: the concatenated VAE (combination = concat) has one encoder");
        assertFalse(Files.exists(out));
    }

    @Test
    void traverseSweepsAroundThePriorMeanAndRefusesACondition() {
        Path png = dir.resolve("t.png");
        CliRun r = CliRun.of("traverse", run.checkpoint().toString(), "--dims", "top:2", "--limit", "40", "--steps", "3",
                "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + png + ": 2 units x 3 steps"), r.out());
        CliRun.of("traverse", run.checkpoint().toString(), "--condition", "image=x.png", "--out", png.toString())
                .assertUserError("--condition image=x.png: the concatenated VAE (combination = concat) has one encoder");
    }

    @Test
    void loglikeScoresTheJointAndSaysWhyTheOthersAreSkipped() {
        CliRun r = CliRun.of("loglike", run.checkpoint().toString(), "--k", "10", "--limit", "20");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("log p(image,label) = "), r.out());
        assertTrue(r.out().contains("log p(image) and log p(image | label): skipped"), r.out());
        assertFalse(r.out().contains("log p(image) = "), r.out());
    }

    @Test
    void aSubsetOfTheModalitiesIsOneLine() {
        CliRun.of("loglike", run.checkpoint().toString(), "--subset", "image").assertUserError(
                "--subset image: the concatenated VAE (combination = concat) has one encoder over all modalities");
    }

    @Test
    void itsNetworksUnderAPerModalityConfigAreADifferentModel() {
        Path mixed = run.underThePlainConfig(dir.resolve("mixed.ckpt"));
        CliRun.of("evaluate", mixed.toString()).assertUserError("checkpoint " + mixed
                + " was written for a different model: it has no network encoder/image (it has [encoder/joint, decoder/joint])");
    }
}
