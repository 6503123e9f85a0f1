package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {

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

    private CliRun sample(Path out, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "sample";
        args[1] = checkpoint;
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.of(args);
    }

    @Test
    void priorSamplesFillASquareGridOfTheRequestedSize() throws IOException {
        Path png = dir.resolve("prior.png");
        CliRun r = sample(png, "--n", "16", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + png + ": 16 samples from the prior, seed 3, from " + checkpoint), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(4 * (28 * 2 + 2), img.getWidth());              // 4 columns of 28x28 at zoom 2 plus borders
        assertEquals(4 * (28 * 2 + 2 + 12), img.getHeight());        // 4 rows, each with a caption line
    }

    @Test
    void aClassNameConditionsLikeItsIndexAndUnlikeThePrior() throws IOException {
        CliRun byName = sample(dir.resolve("name.png"), "--condition", "label=sneaker", "--n", "9");
        assertEquals(0, byName.code(), byName.err());
        assertTrue(byName.out().contains("9 samples given label=7 (Sneaker)"), byName.out());
        assertEquals(0, sample(dir.resolve("index.png"), "--condition", "label=7", "--n", "9").code());
        assertEquals(0, sample(dir.resolve("prior.png"), "--n", "9").code());
        assertArrayEquals(Files.readAllBytes(dir.resolve("index.png")), Files.readAllBytes(dir.resolve("name.png")));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("prior.png")), Files.readAllBytes(dir.resolve("name.png"))));
    }

    @Test
    void anImageFileOfTheDatasetsSizeConditionsGeneration() throws IOException {
        Path picture = dir.resolve("picture.png");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", picture.toFile());
        CliRun r = sample(dir.resolve("out.png"), "--condition", "image=" + picture, "--n", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 samples given image=" + picture), r.out());
    }

    @Test
    void anImageOfAnotherSizeIsRejectedAndNothingIsWritten() throws IOException {
        Path picture = dir.resolve("big.png");
        ImageIO.write(new BufferedImage(32, 30, BufferedImage.TYPE_BYTE_GRAY), "png", picture.toFile());
        Path out = dir.resolve("out.png");
        sample(out, "--condition", "image=" + picture).assertUserError("--condition image=" + picture + ": " + picture
                + " is 32x30, expected 28x28 like the 'image' images");
        assertFalse(Files.exists(out));
    }

    @Test
    void anUnknownModalityNamesTheModalitiesThereAre() {
        Path out = dir.resolve("out.png");
        sample(out, "--condition", "colour=red").assertUserError(
                "--condition colour=red: the model has no modality 'colour'; it has image, label");
        assertFalse(Files.exists(out));
    }

    @Test
    void aClassOutOfRangeNamesTheRangeAndTheNames() {
        Path out = dir.resolve("out.png");
        sample(out, "--condition", "label=12").assertUserError(
                "--condition label=12: expected a class of 'label' in 0..9 or one of T-shirt/top, Trouser,");
        assertFalse(Files.exists(out));
    }

    @Test
    void aMissingCheckpointIsNamed() {
        Path out = dir.resolve("out.png");
        Path missing = dir.resolve("none.ckpt");
        CliRun r = CliRun.of("sample", missing.toString(), "--out", out.toString());
        r.assertUserError("checkpoint " + missing + ": no such file");
        assertFalse(Files.exists(out));
    }

    @Test
    void aTruncatedCheckpointIsNamed() throws IOException {
        Path cut = dir.resolve("cut.ckpt");
        byte[] all = Files.readAllBytes(Path.of(checkpoint));
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 100));
        Path out = dir.resolve("out.png");
        CliRun.of("sample", cut.toString(), "--out", out.toString()).assertUserError("checkpoint " + cut + ": truncated or corrupt");
        assertFalse(Files.exists(out));
    }

    @Test
    void anOutputUnderAFileIsNamedBeforeTheCheckpointIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "kept");
        Path out = file.resolve("grid.png");
        CliRun.of("sample", dir.resolve("none.ckpt").toString(), "--out", out.toString())
                .assertUserError("--out " + out + ": cannot create it, " + file + " is not a directory");
        assertEquals("kept", Files.readString(file));
    }

    @Test
    void modelSettingsCannotBeOverriddenOnACheckpoint() {
        Path out = dir.resolve("out.png");
        sample(out, "-Dchorus.model.latent=8").assertUserError("-Dchorus.model.latent: a checkpoint fixes its model");
        assertFalse(Files.exists(out));
    }
}
