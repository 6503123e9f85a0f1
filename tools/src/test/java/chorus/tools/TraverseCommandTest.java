package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.idx.FashionMnist;
import chorus.models.evaluation.Generation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraverseCommandTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static String checkpoint;

    @BeforeAll
    static void trainedCheckpoint() {
        Path data = TinyRun.fashionMnist(shared.resolve("fashion-mnist"));
        checkpoint = TinyRun.checkpoint(shared.resolve("step-60.ckpt"), TinyRun.config(data), 60).toString();
    }

    private CliRun traverse(Path out, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "traverse";
        args[1] = checkpoint;
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.of(args);
    }

    /** The printed rows of the unit table: the lines between its header and the "wrote" line. */
    private static List<String[]> rows(CliRun r) {
        List<String> lines = r.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("unit")).findFirst().orElseThrow());
        return lines.subList(header + 1, lines.size() - 1).stream().map(l -> l.strip().split("\\s+")).toList();
    }

    @Test
    void everyUnitIsARowOfStepsTiles() throws IOException {
        Path png = dir.resolve("all.png");
        CliRun r = traverse(png, "--steps", "5", "--range", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("base: the prior mean z = 0"), r.out());
        assertTrue(r.out().contains("t = -2.00 -1.00 0.00 1.00 2.00"), r.out());
        assertTrue(r.out().endsWith("wrote " + png + ": 4 units x 5 steps" + System.lineSeparator()), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(5 * (28 * 2 + 2), img.getWidth());              // 5 steps of 28x28 at zoom 2 plus borders
        assertEquals(4 * (28 * 2 + 2 + 12), img.getHeight());        // 4 latent units, each with a caption line
        assertEquals(List.of("0", "1", "2", "3"), rows(r).stream().map(cells -> cells[0]).toList());
    }

    @Test
    void topUnitsAreTheMostActiveInDecreasingOrderWithAClassPerStep() throws IOException {
        Path png = dir.resolve("top.png");
        CliRun r = traverse(png, "--dims", "top:2", "--steps", "3", "--limit", "50");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("over 50 test rows"), r.out());
        List<String[]> rows = rows(r);
        assertEquals(2, rows.size(), r.out());
        double first = Double.parseDouble(rows.get(0)[1]);
        double second = Double.parseDouble(rows.get(1)[1]);
        assertTrue(first >= second && second > 0, r.out());
        List<String> names = FashionMnist.CLASS_NAMES;
        String line = r.out().lines().filter(l -> l.startsWith(rows.get(0)[0] + " ")).findFirst().orElseThrow();
        long named = names.stream().filter(line::contains).count();
        assertTrue(named >= 1, line);                                  // each step is captioned with a class name
        assertEquals(2 * (28 * 2 + 2 + 12), ImageIO.read(png.toFile()).getHeight());
    }

    @Test
    void aLabelConditionCentresTheSweepOnItsPosteriorMean() throws IOException {
        CliRun r = traverse(dir.resolve("sneaker.png"), "--condition", "label=sneaker", "--dims", "1,0", "--steps", "3",
                "--range", "0.001");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("base: the mean of q(z | label=7 (Sneaker))"), r.out());
        // A sweep of +-0.001 stays at the base: every step decodes to the class the label decoder gives at the mean
        // of q(z | Sneaker), computed here without the command.
        OpenedCheckpoint run = OpenedCheckpoint.open(Path.of(checkpoint), java.util.Map.of());
        Condition sneaker = Condition.parse("label=7", run.model(), run.test().name());
        int label = Roles.label(run.model().modalities());
        int c = Generation.decode(run.model(), label, sneaker.posterior(run.model(), run.rule(), 1).mean())
                .argMax(1).getInt(0);
        String name = FashionMnist.CLASS_NAMES.get(c);
        List<String> lines = r.out().lines().filter(l -> l.startsWith("1 ") || l.startsWith("0 ")).toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("1 "), r.out());                        // rows in the order given
        for (String line : lines) {
            assertEquals(3, line.split(Pattern.quote(name), -1).length - 1, line + " should name " + name + " 3 times");
        }
        assertEquals(0, traverse(dir.resolve("prior.png"), "--dims", "1,0", "--steps", "3", "--range", "0.001").code());
        assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("prior.png")), Files.readAllBytes(dir.resolve("sneaker.png"))));
    }

    @Test
    void aUnitBeyondTheLatentIsNamedAndNothingIsWritten() {
        Path out = dir.resolve("out.png");
        traverse(out, "--dims", "0,4").assertUserError(
                "--dims 0,4: unit 4 is out of range, the model's latent has 4 units (0..3)");
        traverse(out, "--dims", "top:5").assertUserError("--dims top:5: the model's latent has 4 units, expected top:1..4");
        traverse(out, "--dims", "first").assertUserError("--dims first: expected latent units like 0,1,2, or all, or top:N");
        assertFalse(Files.exists(out));
    }

    @Test
    void tooFewStepsOrNoRangeIsRejectedAndNothingIsWritten() {
        Path out = dir.resolve("out.png");
        traverse(out, "--steps", "1").assertUserError("--steps 1: expected at least 2 images per row");
        traverse(out, "--range", "0").assertUserError("--range 0.0: expected a finite number of prior standard deviations > 0");
        traverse(out, "--range", "-1").assertUserError("--range -1.0: expected a finite number");
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnknownModalityInTheConditionNamesTheModalitiesThereAre() {
        Path out = dir.resolve("out.png");
        traverse(out, "--condition", "colour=red").assertUserError(
                "--condition colour=red: the model has no modality 'colour'; it has image, label");
        assertFalse(Files.exists(out));
    }

    @Test
    void aMissingOrCorruptCheckpointIsNamed() throws IOException {
        Path out = dir.resolve("out.png");
        Path missing = dir.resolve("none.ckpt");
        CliRun.of("traverse", missing.toString(), "--out", out.toString())
                .assertUserError("checkpoint " + missing + ": no such file");
        Path cut = dir.resolve("cut.ckpt");
        byte[] all = Files.readAllBytes(Path.of(checkpoint));
        Files.write(cut, Arrays.copyOf(all, all.length - 100));
        CliRun.of("traverse", cut.toString(), "--out", out.toString())
                .assertUserError("checkpoint " + cut + ": truncated or corrupt");
        assertFalse(Files.exists(out));
    }

    @Test
    void anOutputThatCannotBeWrittenIsNamedBeforeTheCheckpointIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "kept");
        Path under = file.resolve("grid.png");
        traverse(under).assertUserError("--out " + under + ": cannot create it, " + file + " is not a directory");
        traverse(dir).assertUserError("--out " + dir + ": is a directory");
        assertEquals("kept", Files.readString(file));
        assertEquals(List.of(file), Files.list(dir).toList());
    }
}
