package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with a joint encoder (JMVAE-kl) end to end: its training draws every sample grid, and sample, traverse,
 * loglike and evaluate run on its checkpoint, conditioning on one modality through its unimodal encoder; the joint
 * encoder's input is no modality to condition on.
 */
class JointCommandsTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static VariantRun run;

    @BeforeAll
    static void trained() {
        run = VariantRun.train(shared, Map.of("chorus.model.combination", "jmvae", "chorus.model.concat-hidden", "[16]"));
    }

    @Test
    void trainingDrawsTheReconstructionLabelToImageAndPriorGridsAndResumesExactly() {
        for (String grid : new String[] {"reconstruction", "label-to-image", "prior", "traversal"}) {
            assertTrue(Files.exists(run.straight().resolve("samples/step-12-" + grid + ".png")), grid);
        }
        run.assertResumedExactly();
    }

    @Test
    void evaluatePrintsTheCoherenceOfEachModalityFromTheOther() {
        CliRun r = CliRun.of("evaluate", run.checkpoint().toString(), "--limit", "40", "--classifier-dir", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kl[joint||image]") && r.out().contains("kl[joint||label]"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  image +\\(\\d+\\.\\d+%\\) +\\d+\\.\\d+%.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  label +\\d+\\.\\d+% +\\(\\d+\\.\\d+%\\).*"), r.out());
        assertFalse(r.out().contains("joint  "), "the joint encoder's input is no row or column: " + r.out());
    }

    @Test
    void loglikeScoresTheJointAndEachModality() {
        CliRun r = CliRun.of("loglike", run.checkpoint().toString(), "--k", "10", "--limit", "20");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("log p(image,label) = ") && r.out().contains("log p(image | label) = "), r.out());
    }

    @Test
    void theLikelihoodTableHasARowPerDataModality() {
        CliRun r = CliRun.of("loglike", run.checkpoint().toString(), "--k", "5", "--limit", "10", "--table");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("joint"), r.out());
        assertTrue(r.out().contains("image") && r.out().contains("label"), r.out());
    }

    @Test
    void sampleAndTraverseConditionOnALabel() {
        Path png = dir.resolve("given.png");
        CliRun r = CliRun.of("sample", run.checkpoint().toString(), "--condition", "label=3", "--n", "8", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(png));
        Path t = dir.resolve("t.png");
        CliRun s = CliRun.of("traverse", run.checkpoint().toString(), "--condition", "label=3", "--dims", "top:2", "--limit", "40",
                "--steps", "3", "--out", t.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("wrote " + t + ": 2 units x 3 steps"), s.out());
    }

    @Test
    void theJointEncodersInputIsNoModalityToConditionOn() {
        CliRun.of("sample", run.checkpoint().toString(), "--condition", "joint=1", "--out", dir.resolve("x.png").toString())
                .assertUserError("--condition joint=1: the model has no modality 'joint'; it has image, label");
    }
}
