package chorus.data.svhn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.ByteImages;
import chorus.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** {@link Svhn} and {@link MatV5} on small files in the real SVHN format, written by {@link MatFixtures}. */
class SvhnTest {

    @TempDir
    Path dir;

    private Path train(boolean compress, MatFixtures.Var... vars) throws IOException {
        return MatFixtures.write(dir.resolve("train_32x32.mat"), compress, List.of(vars));
    }

    @Test
    void compressedAndUncompressedFilesReadAlikeWithTenMeaningZero() throws IOException {
        train(true, MatFixtures.svhnImages(5), MatFixtures.labelsAsDoubles(1, 10, 3, 10, 9));
        Svhn.Split compressed = Svhn.read(dir, "train");
        train(false, MatFixtures.svhnImages(5), MatFixtures.labelsAsDoubles(1, 10, 3, 10, 9));
        Svhn.Split plain = Svhn.read(dir, "train");
        assertArrayEquals(new int[] {1, 0, 3, 0, 9}, compressed.labels());
        assertArrayEquals(plain.labels(), compressed.labels());
        assertEquals(plain.images(), compressed.images());
    }

    @Test
    void pixelsComeOutChannelRowColumnInRowMajorOrder() throws IOException {
        train(true, MatFixtures.svhnImages(3), MatFixtures.labelsAsDoubles(1, 2, 3));
        Svhn.Split split = Svhn.read(dir, "train");
        var bytes = ByteImages.buffer(split.images());
        for (int[] p : new int[][] {{0, 0, 0, 0}, {2, 5, 17, 1}, {1, 31, 2, 2}}) { // image, row, column, channel
            int found = bytes.get(p[0] * 3072 + p[3] * 1024 + p[1] * 32 + p[2]) & 0xFF;
            assertEquals(MatFixtures.pixel(p[0], p[1], p[2], p[3]), found, Arrays.toString(p));
        }
    }

    @Test
    void labelsStoredAsBytesInADoubleArrayAreRead() throws IOException {
        train(true, MatFixtures.svhnImages(2), MatFixtures.labelsAsBytes(10, 4));
        assertArrayEquals(new int[] {0, 4}, Svhn.read(dir, "train").labels());
    }

    @Test
    void notAMatFileNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("train_32x32.mat"), "hello");
        assertOneLine(() -> Svhn.read(dir, "train"), dir.resolve("train_32x32.mat") + ": not a MATLAB .mat file");
    }

    @Test
    void matlab73FileIsRecognised() throws IOException {
        byte[] header = MatFixtures.header();
        System.arraycopy("MATLAB 7.3 MAT-file".getBytes(), 0, header, 0, 19);
        Files.write(dir.resolve("train_32x32.mat"), header);
        assertOneLine(() -> Svhn.read(dir, "train"), "MATLAB 7.3 (HDF5) file, expected MAT v5");
    }

    @Test
    void badEndianIndicatorIsNamed() throws IOException {
        byte[] header = MatFixtures.header();
        header[126] = 'X';
        Files.write(dir.resolve("train_32x32.mat"), header);
        assertOneLine(() -> Svhn.read(dir, "train"), "header endian indicator 'XM'");
    }

    @Test
    void truncatedImagesNameTheVariable() throws IOException {
        Path file = train(false, MatFixtures.svhnImages(4), MatFixtures.labelsAsDoubles(1, 2, 3, 4));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, 128 + 1000));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'X'");
    }

    @Test
    void truncatedCompressedFileIsReported() throws IOException {
        Path file = train(true, MatFixtures.svhnImages(4), MatFixtures.labelsAsDoubles(1, 2, 3, 4));
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, 128 + 60));
        assertOneLine(() -> Svhn.read(dir, "train"), file + ": ");
    }

    @Test
    void corruptZlibStreamIsReported() throws IOException {
        Path file = train(true, MatFixtures.svhnImages(4), MatFixtures.labelsAsDoubles(1, 2, 3, 4));
        byte[] all = Files.readAllBytes(file);
        for (int i = 128 + 8; i < 128 + 40; i++) {
            all[i] = (byte) 0xFF;
        }
        Files.write(file, all);
        assertOneLine(() -> Svhn.read(dir, "train"), file + ": element at byte 128");
    }

    @Test
    void imagesOfTheWrongShapeNameTheVariable() throws IOException {
        train(true, new MatFixtures.Var("X", MatV5.MX_UINT8, new int[] {32, 32, 1, 2}, MatV5.MI_UINT8, new byte[2048]),
                MatFixtures.labelsAsDoubles(1, 2));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'X' is 32x32x1x2, expected 32x32x3xN");
    }

    @Test
    void imagesOfAnotherClassNameTheVariable() throws IOException {
        train(true, new MatFixtures.Var("X", MatV5.MX_DOUBLE, new int[] {32, 32, 3, 1}, MatV5.MI_UINT8, new byte[3072]),
                MatFixtures.labelsAsDoubles(1));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'X' is double, expected uint8");
    }

    @Test
    void complexImagesAreRefused() throws IOException {
        train(false, new MatFixtures.Var("X", MatV5.MX_UINT8, new int[] {32, 32, 3, 1}, MatV5.MI_UINT8, new byte[3072], true),
                MatFixtures.labelsAsDoubles(1));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'X': complex, expected real values");
    }

    @Test
    void realPartOfTheWrongLengthNamesTheVariable() throws IOException {
        train(false, new MatFixtures.Var("X", MatV5.MX_UINT8, new int[] {32, 32, 3, 2}, MatV5.MI_UINT8, new byte[3072]),
                MatFixtures.labelsAsDoubles(1, 2));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'X': 32x32x3x2 uint8 with a real part of 3072 bytes, expected 6144");
    }

    @Test
    void missingLabelsAreNamed() throws IOException {
        train(true, MatFixtures.svhnImages(2));
        assertOneLine(() -> Svhn.read(dir, "train"), "no variable 'y'");
    }

    @Test
    void missingImagesAreNamed() throws IOException {
        train(true, MatFixtures.labelsAsDoubles(1, 2));
        assertOneLine(() -> Svhn.read(dir, "train"), "no variable 'X'");
    }

    @Test
    void labelCountDifferentFromImageCountIsNamed() throws IOException {
        train(true, MatFixtures.svhnImages(3), MatFixtures.labelsAsDoubles(1, 2));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'y' holds 2 labels for the 3 images of 'X'");
    }

    @Test
    void labelOutsideOneToTenIsNamed() throws IOException {
        train(true, MatFixtures.svhnImages(3), MatFixtures.labelsAsDoubles(1, 2, 11));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'y', label 3 is 11.0, expected a whole number 1 to 10");
    }

    @Test
    void fractionalLabelIsNamed() throws IOException {
        train(true, MatFixtures.svhnImages(2), MatFixtures.labelsAsDoubles(1.5, 2));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'y', label 1 is 1.5");
    }

    @Test
    void labelsOfTheWrongShapeAreNamed() throws IOException {
        train(true, MatFixtures.svhnImages(4), new MatFixtures.Var("y", MatV5.MX_DOUBLE, new int[] {2, 2}, MatV5.MI_UINT8,
                new byte[] {1, 2, 3, 4}));
        assertOneLine(() -> Svhn.read(dir, "train"), "variable 'y' is 2x2, expected Nx1 labels");
    }

    @Test
    void otherVariablesAreSkipped() throws IOException {
        train(true, new MatFixtures.Var("extra", MatV5.MX_DOUBLE, new int[] {1, 1}, MatV5.MI_DOUBLE, new byte[8]),
                MatFixtures.svhnImages(2), MatFixtures.labelsAsDoubles(2, 10));
        assertArrayEquals(new int[] {2, 0}, Svhn.read(dir, "train").labels());
    }

    private void assertOneLine(Executable read, String expectedPart) {
        DataException e = assertThrows(DataException.class, read);
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("train_32x32.mat").toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
