package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsTheDataCommand() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("data"), r.out());
    }

    @Test
    void unknownConfigKeyIsOneLineAndExitCodeTwo() {
        Run r = run("data", "show", "fashion-mnist", "-Dchorus.data.batchsize=3");
        assertEquals(UserErrors.USER_ERROR, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("chorus: unknown key chorus.data.batchsize"), r.err());
    }

    @Test
    void missingFractionOutsideRangeNamesTheKey() {
        Run r = run("data", "show", "fashion-mnist", "-Dchorus.data.missing.label=1.5");
        assertEquals(UserErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("chorus.data.missing.label = 1.5"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void corruptIdxFileIsOneLineNamingTheFile() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 9, 0, 0, 0, 1});
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 3});
        Run r = run("data", "show", "fashion-mnist", "-Dchorus.data.path=" + dir, "-Dchorus.data.download=false");
        assertEquals(UserErrors.USER_ERROR, r.code());
        assertTrue(r.err().startsWith("chorus: " + dir), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void debugAddsTheStackTrace() throws IOException {
        Run r = run("data", "show", "fashion-mnist", "-Dchorus.data.bogus=1", "--debug");
        assertEquals(UserErrors.USER_ERROR, r.code());
        assertTrue(r.err().lines().count() > 1, r.err());
    }

    @Test
    void showPrintsCountsAndWritesTheGrid() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "needs the Debian package dataset-fashion-mnist (.ci/run installs it)");
        Path png = dir.resolve("grid.png");
        Run r = run("data", "show", "fashion-mnist", "--split", "test", "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rows: 10000"), r.out());
        assertTrue(Files.isRegularFile(png));
        assertFalse(r.out().contains("missing 1"), r.out());
    }

    @Test
    void anUnwritableGridIsNamedBeforeTheDataIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "kept");
        Path png = file.resolve("grid.png");
        Run r = run("data", "show", "fashion-mnist", "--out", png.toString(), "-Dchorus.data.path=" + dir.resolve("none"),
                "-Dchorus.data.download=false");
        assertEquals(UserErrors.USER_ERROR, r.code());
        assertEquals("chorus: --out " + png + ": cannot create it, " + file + " is not a directory", r.err().strip());
    }

    @Test
    void benchReportsBothMediansAndTheirRatio() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "needs the Debian package dataset-fashion-mnist (.ci/run installs it)");
        Run r = run("bench", "--steps", "3", "--warmup", "1", "-Dchorus.data.batch-size=8", "-Dchorus.model.latent=4",
                "-Dchorus.model.modalities.image.hidden=[16]", "-Dchorus.model.modalities.label.hidden=[8]");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("reference "), r.out());
        var ratio = java.util.regex.Pattern.compile("pipeline/reference step-time ratio: (\\d+\\.\\d\\d)").matcher(r.out());
        assertTrue(ratio.find(), r.out());
        assertTrue(Double.parseDouble(ratio.group(1)) > 0, r.out());
    }

    @Test
    void benchRejectsZeroSteps() {
        Run r = run("bench", "--steps", "0");
        assertEquals(UserErrors.USER_ERROR, r.code());
        assertTrue(r.err().contains("--steps must be >= 1"), r.err());
    }
}
