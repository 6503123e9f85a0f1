package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.tools.run.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chorus.model.private-latent} end to end: train, exact resume, evaluate, sample, loglike. */
class PrivateLatentCommandsTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static VariantRun run;

    @BeforeAll
    static void trained() {
        run = VariantRun.train(shared, Map.of("chorus.model.private-latent", "2", "chorus.model.combination", "mopoe"));
    }

    @Test
    void trainingLogsTheSharedAndPrivateLatentAndFillsTheRunDirectory() throws java.io.IOException {
        String log = Files.readString(run.straight().resolve("train.log"));
        assertTrue(log.contains("mopoe, latent 4 shared + 2 private"), log);
        assertTrue(Files.exists(run.straight().resolve("samples/step-12-label-to-image.png")));
        assertTrue(Files.exists(run.straight().resolve("samples/step-12-prior.png")));
        assertTrue(VariantRun.losses(run.straight()).containsKey("eval@6"));
        assertTrue(run.first().out().contains("trained steps 0 -> 12"), run.first().out());
    }

    @Test
    void lossesAreFiniteAndAResumedRunReproducesThemAndItsParameters() {
        run.assertLossesFiniteAndReproduced();
        run.assertResumedExactly();
    }

    @Test
    void evaluatePrintsThePrivateKlTermsAndBothCoherences() {
        CliRun r = CliRun.of("evaluate", run.checkpoint().toString(), "--limit", "40", "--classifier-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mopoe, latent 4 shared + 2 private"), r.out());
        assertTrue(r.out().contains("klp[image+label]"), r.out());
        assertTrue(r.out().contains("coherence (one sample z ~ q(z | X_S) per row") && r.out().contains("\n  label  "), r.out());
    }

    @Test
    void sampleDrawsFromThePriorAndGivenALabel() {
        CliRun prior = CliRun.of("sample", run.checkpoint().toString(), "--n", "9", "--out", dir.resolve("p.png").toString());
        assertEquals(0, prior.code(), prior.err());
        CliRun given = CliRun.of("sample", run.checkpoint().toString(), "--condition", "label=3", "--n", "9", "--out",
                dir.resolve("c.png").toString());
        assertEquals(0, given.code(), given.err());
        assertTrue(given.out().contains("9 samples given label=3 (Dress)"), given.out());
        assertTrue(Files.exists(dir.resolve("p.png")) && Files.exists(dir.resolve("c.png")));
    }

    @Test
    void loglikePrintsTheJointTheImageAndTheConditional() {
        CliRun r = CliRun.of("loglike", run.checkpoint().toString(), "--k", "10", "--limit", "20");
        assertEquals(0, r.code(), r.err());
        for (String q : new String[] {"log p(image,label) = ", "log p(image) = ", "log p(image | label) = "}) {
            assertTrue(r.out().contains(q), q + " in:\n" + r.out());
        }
    }

    @Test
    void traverseSweepsTheSharedAndEveryPrivateUnit() {
        Path png = dir.resolve("t.png");
        CliRun r = CliRun.of("traverse", run.checkpoint().toString(), "--condition", "label=3", "--steps", "3", "--out",
                png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("units: 0..3 shared, 4..5 private to image, 6..7 private to label"), r.out());
        assertTrue(r.out().contains("wrote " + png + ": 8 units x 3 steps"), r.out());
    }

    @Test
    void itsNetworksUnderAConfigWithoutPrivateLatentsAreADifferentModel() {
        Path mixed = run.underThePlainConfig(dir.resolve("mixed.ckpt"));
        long params = Checkpoint.read(run.checkpoint()).networks().get(0).params().length();
        CliRun.of("sample", mixed.toString(), "--out", dir.resolve("x.png").toString()).assertUserError("checkpoint " + mixed
                + " was written for a different model: encoder/image has " + params + " parameters, this config builds ");
    }
}
