package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void negativeStepsAreOneLineNamingTheOption() {
        CliRun.of("bench", "--steps", "-3").assertUserError("--steps must be >= 1 and --warmup >= 0 (got -3, 5)");
    }

    @Test
    void profilePrintsEveryActorEveryLayerAndTheRates() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "needs the Debian package dataset-fashion-mnist (.ci/run installs it)");
        CliRun r = CliRun.of("bench", "--steps", "2", "--warmup", "1", "--profile", "-Dchorus.data.batch-size=8",
                "-Dchorus.model.latent=4", "-Dchorus.model.modalities.image.hidden=[16]",
                "-Dchorus.model.modalities.label.hidden=[8]");
        assertEquals(0, r.code(), r.err());
        for (String actor : new String[] {"combiner", "encoder.image", "encoder.label", "decoder.image", "decoder.label"}) {
            assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(actor) + " +\\d+\\.\\d +\\d+\\.\\d$").matcher(r.out()).find(),
                    actor + " row in\n" + r.out());
        }
        assertTrue(r.out().contains("  decoder.image/1 DenseLayer "), r.out());
        assertTrue(Pattern.compile("pipeline +median .* \\d+\\.\\d GFLOP/s = \\d\\.\\d{3} x all-core sgemm").matcher(r.out()).find(),
                r.out());
        assertTrue(r.out().strip().lines().reduce((a, b) -> b).orElse("").matches("peak RSS: \\d+ MiB"), r.out());
    }
}
