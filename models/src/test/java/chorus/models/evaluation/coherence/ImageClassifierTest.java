package chorus.models.evaluation.coherence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageClassifierTest {

    private static final ImageClassifier.Settings SMALL = new ImageClassifier.Settings(List.of(8), 5, 10, 1e-2, 3);

    @TempDir
    Path dir;

    /** {@code n} noisy 4x4 images of 3 classes: class c lights pixels 5c..5c+4 (plus uniform noise up to 0.4). */
    private static INDArray images(int[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, labels.length, 16);
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < 16; p++) {
                boolean lit = p / 5 == labels[i];
                x.putScalar(i, p, (lit ? 0.6 : 0.0) + 0.4 * r.nextDouble());
            }
        }
        return x;
    }

    private static int[] labels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        java.util.Arrays.setAll(y, i -> r.nextInt(3));
        return y;
    }

    @Test
    void learnsSeparableClasses() {
        int[] train = labels(90, 1);
        int[] test = labels(60, 2);
        ImageClassifier c = ImageClassifier.train(images(train, 1), train, 3, SMALL);
        assertTrue(c.accuracy(images(test, 2), test) > 0.95, "accuracy " + c.accuracy(images(test, 2), test));
    }

    @Test
    void trainingIsDeterministic() {
        int[] y = labels(40, 1);
        INDArray x = images(y, 1);
        assertEquals(ImageClassifier.train(x, y, 3, SMALL).params(), ImageClassifier.train(x, y, 3, SMALL).params());
    }

    @Test
    void secondRequestReadsTheCacheInsteadOfTraining() throws IOException {
        int[] y = labels(40, 1);
        INDArray x = images(y, 1);
        ImageClassifier first = ImageClassifier.cached(dir, "tiny", x, y, 3, SMALL);
        Path file = ImageClassifier.cacheFile(dir, "tiny", x, y, 3, SMALL);
        long written = Files.getLastModifiedTime(file).toMillis();
        ImageClassifier second = ImageClassifier.cached(dir, "tiny", x, y, 3, SMALL);
        assertFalse(first.fromCache());
        assertTrue(second.fromCache());
        assertEquals(first.params(), second.params());
        assertEquals(written, Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void otherSettingsOrDataUseAnotherCacheFile() {
        int[] y = labels(40, 1);
        INDArray x = images(y, 1);
        Path base = ImageClassifier.cacheFile(dir, "tiny", x, y, 3, SMALL);
        ImageClassifier.Settings longer = new ImageClassifier.Settings(List.of(8), 6, 10, 1e-2, 3);
        assertNotEquals(base, ImageClassifier.cacheFile(dir, "tiny", x, y, 3, longer));
        assertNotEquals(base, ImageClassifier.cacheFile(dir, "tiny", x, labels(40, 9), 3, SMALL));
        assertTrue(base.getFileName().toString().startsWith("tiny-"), base.toString());
    }

    @Test
    void anUnreadableCacheFileIsReplaced() throws IOException {
        int[] y = labels(40, 1);
        INDArray x = images(y, 1);
        Path file = ImageClassifier.cacheFile(dir, "tiny", x, y, 3, SMALL);
        Files.writeString(file, "not a model");
        ImageClassifier c = ImageClassifier.cached(dir, "tiny", x, y, 3, SMALL);
        assertFalse(c.fromCache());
        assertTrue(ImageClassifier.cached(dir, "tiny", x, y, 3, SMALL).fromCache());
    }
}
