package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MFM end to end: train with an exact resume, its grids, evaluate and sample; loglike is one line saying why not. */
class MfmCommandsTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static VariantRun run;

    @BeforeAll
    static void trained() {
        run = VariantRun.train(shared, Map.of("chorus.model.combination", "mfm", "chorus.model.concat-hidden", "[16]",
                "chorus.model.private-latent", "2", "chorus.model.mfm.label", "label", "chorus.model.mfm.mmd-weight", "10"));
    }

    @Test
    void lossesAreFiniteTheGridsAreDrawnAndAResumedRunReproducesIt() {
        run.assertLossesFiniteAndReproduced();
        run.assertResumedExactly();
        assertTrue(Files.exists(run.straight().resolve("samples/step-12-label-to-image.png")));
    }

    @Test
    void evaluatePrintsItsObjectiveAndTheCoherence() {
        CliRun r = CliRun.of("evaluate", run.checkpoint().toString(), "--limit", "40", "--classifier-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no ELBO") && r.out().contains("mmd[joint]") && r.out().contains("surrogate[label]"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  label +\\d+\\.\\d+% +\\(\\d+\\.\\d+%\\).*"), r.out());
    }

    @Test
    void sampleConditionsOnALabel() {
        Path png = dir.resolve("given.png");
        CliRun r = CliRun.of("sample", run.checkpoint().toString(), "--condition", "label=3", "--n", "8", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(png));
    }

    @Test
    void loglikeIsOneLineSayingTheEncodersAreDeterministic() {
        CliRun.of("loglike", run.checkpoint().toString()).assertUserError(run.checkpoint() + ": loglike does not apply to mfm");
    }
}
