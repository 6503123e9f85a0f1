package chorus.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class FashionMnistTest {

    private static final Path SYSTEM_COPY = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void readsEachSplitWithScaledPixelsAndOneHotLabels() throws IOException {
        DataFixtures.fashionDir(dir, 5, 3, true);
        Dataset train = FashionMnist.read(dir, "train", "here");
        Dataset test = FashionMnist.read(dir, "test", "here");
        assertEquals(5, train.size());
        assertEquals(3, test.size());
        assertEquals(DataFixtures.pixel(4, 100) / 255f, train.data(0).getFloat(4, 100));
        assertEquals(1f, train.data(1).getFloat(4, DataFixtures.label(4)));
        assertEquals(1.0, train.data(1).getRow(4).sumNumber().doubleValue());
        assertEquals(DataFixtures.label(2), test.labels()[2]);
    }

    @Test
    void readsUncompressedFilesToo() throws IOException {
        DataFixtures.fashionDir(dir, 4, 2, false);
        Dataset train = FashionMnist.read(dir, "train", "here");
        assertArrayEquals(new int[] {0, 3, 6, 9}, train.labels());
    }

    @Test
    void imagesOfAnotherSizeAreRejected() throws IOException {
        DataFixtures.fashionDir(dir, 2, 2, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        DataFixtures.write(images, DataFixtures.idxImages(IdxReader.IMAGES_MAGIC, 2, 27, 28, 2), true);
        DataException e = assertThrows(DataException.class, () -> FashionMnist.read(dir, "train", "here"));
        assertEquals(images + ": images of 27x28, expected 28x28", e.getMessage());
    }

    @Test
    void missingFilesAreListedWithTheirAcceptedNames() throws IOException {
        DataFixtures.fashionDir(dir, 2, 2, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(java.util.List.of("t10k-labels-idx1-ubyte[.gz]"), new FashionMnist().missingIn(dir));
    }

    @Test
    void realFashionMnistHasSixtyAndTenThousandRowsInTheUnitRange() {
        assumeTrue(Files.isRegularFile(SYSTEM_COPY.resolve("train-images-idx3-ubyte.gz")),
                "apt package dataset-fashion-mnist not installed");
        Dataset train = FashionMnist.read(SYSTEM_COPY, "train", SYSTEM_COPY.toString());
        Dataset test = FashionMnist.read(SYSTEM_COPY, "test", SYSTEM_COPY.toString());
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        INDArray pixels = train.data(0);
        assertEquals(0.0, pixels.minNumber().doubleValue());
        assertEquals(1.0, pixels.maxNumber().doubleValue());
        assertEquals(60_000.0, train.data(1).sumNumber().doubleValue());
    }
}
