package chorus.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.Dataset;
import chorus.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsGzippedImagesWithTheirDimensionsAndPixels() throws IOException {
        Path file = DataFixtures.write(dir.resolve("images.gz"), DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 4, 5, 3), true);
        IdxReader.Images images = IdxReader.readImages(file);
        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        assertEquals(DataFixtures.pixel(2, 19) / 255f, images.unitFloats()[2 * 20 + 19]);
    }

    @Test
    void readsRawImagesLikeGzippedOnes() throws IOException {
        byte[] bytes = DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 4, 5, 3);
        Path gz = DataFixtures.write(dir.resolve("a.gz"), bytes, true);
        Path raw = DataFixtures.write(dir.resolve("a.gz.raw"), bytes, false);
        assertArrayEquals(IdxReader.readImages(gz).pixels(), IdxReader.readImages(raw).pixels());
    }

    @Test
    void imageCountReadsOnlyTheHeader() throws IOException {
        byte[] bytes = DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 10, 28, 28, 2); // says 10 images, holds 2
        Path file = DataFixtures.write(dir.resolve("images.gz"), bytes, true);
        assertEquals(10, IdxReader.imageCount(file));
    }

    @Test
    void imagesHeldAsBytesBatchToTheSameFloatsAsFloatImages() throws IOException {
        Path file = DataFixtures.write(dir.resolve("i"), DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 3, 28, 28, 3), false);
        IdxReader.Images images = IdxReader.readImages(file);
        int[] labels = {0, 1, 2};
        Dataset floats = LabelledImages.of("x", "train", "here", images.unitFloats(), labels);
        Dataset bytes = LabelledImages.ofBytes("x", "train", "here", images.pixels(), labels);
        assertEquals(org.nd4j.linalg.api.buffer.DataType.UINT8, bytes.storedType(0));
        assertEquals(floats.batch(0, new int[] {2, 0}).tensors(), bytes.batch(0, new int[] {2, 0}).tensors());
        assertEquals(floats.data(0), bytes.data(0));
    }

    @Test
    void readsLabels() throws IOException {
        Path file = DataFixtures.write(dir.resolve("labels"), DataFixtures.idxLabels(12, 12), false);
        int[] labels = IdxReader.readLabels(file, 10).labels();
        assertEquals(12, labels.length);
        assertEquals(DataFixtures.label(11), labels[11]);
    }

    @Test
    void truncatedImagesNameTheFileAndBothByteCounts() throws IOException {
        Path file = DataFixtures.write(dir.resolve("train-images-idx3-ubyte.gz"),
                DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 10, 28, 28, 2), true);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertEquals(file + ": truncated: header says 10 images of 28x28 (7840 bytes), found 1568 bytes", e.getMessage());
    }

    @Test
    void wrongMagicReportsExpectedAndFoundInHex() throws IOException {
        Path file = DataFixtures.write(dir.resolve("images"), DataFixtures.idxImages(0x00000801, 1, 2, 2, 1), false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().startsWith(file + ": magic number 0x00000801, expected 0x00000803"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path file = DataFixtures.write(dir.resolve("labels.gz"), DataFixtures.idxLabels(5, 6), true);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file, 10));
        assertEquals(file + ": trailing bytes: header says 5 labels (5 bytes), found 6 bytes", e.getMessage());
    }

    @Test
    void imageAndLabelCountMismatchNamesBothFiles() throws IOException {
        Path imagesFile = DataFixtures.write(dir.resolve("i"), DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 4, 2, 2, 4), false);
        Path labelsFile = DataFixtures.write(dir.resolve("l"), DataFixtures.idxLabels(3, 3), false);
        IdxReader.Images images = IdxReader.readImages(imagesFile);
        IdxReader.Labels labels = IdxReader.readLabels(labelsFile, 10);
        DataException e = assertThrows(DataException.class, () -> IdxReader.requireSameCount(images, labels));
        assertEquals(imagesFile + " and " + labelsFile + ": 4 images but 3 labels, expected one label per image",
                e.getMessage());
    }

    @Test
    void labelBeyondTheClassesIsRejected() throws IOException {
        Path file = DataFixtures.write(dir.resolve("labels"), DataFixtures.idxLabels(12, 12), false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file, 3));
        assertTrue(e.getMessage().contains("label 1 is 3, expected a class in [0, 3)"), e.getMessage());
    }

    @Test
    void fileShorterThanTheHeaderIsRejected() throws IOException {
        Path file = DataFixtures.write(dir.resolve("stub"), new byte[] {0, 0, 8}, false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().startsWith(file + ": 3 bytes, expected at least the 16-byte header"), e.getMessage());
    }
}
