package chorus.data.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.ByteImages;
import chorus.data.DataFixtures;
import chorus.data.Dataset;
import chorus.data.config.SettingsException;
import chorus.data.npm.NpmMnist;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class PolyMnistTest {

    private static final int[] PER_DIGIT = {3, 1, 2, 1, 1, 2, 1, 3, 4, 2};
    private static final PolyMnistSettings SETTINGS = new PolyMnistSettings(5, 256, 7);

    @TempDir
    Path dir;

    private Dataset digits(String split) throws IOException {
        return NpmMnist.read(DataFixtures.digitsDir(dir.resolve("npm"), "digits", PER_DIGIT), split, "here");
    }

    @Test
    void everyModalityShowsTheRowsClassModalityZeroItsOwnDigitTheOthersAnotherInstance() {
        int[] labels = {0, 0, 0, 1, 1, 2, 3, 3, 3, 3};
        PolyMnist.Plan plan = PolyMnist.plan(labels, "train", SETTINGS);
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < labels.length; i++) {
                int source = plan.source()[k][i];
                assertEquals(labels[i], labels[source], "modality " + k + " row " + i);
                assertTrue(k == 0 ? source == i : source != i || labels[i] == 2, "modality " + k + " row " + i);
            }
        }
    }

    @Test
    void pixelsAreTheTextureCropInvertedWhereTheDigitIsAbove128() throws IOException {
        Dataset digits = digits("train");
        float[] pixels = digits.data(0).dup('c').data().asFloat();
        int[] labels = digits.labels();
        PolyMnist.Plan plan = PolyMnist.plan(labels, "train", SETTINGS);
        INDArray made = PolyMnist.generate(pixels, labels, "train", SETTINGS, "test"); // [5N, 2352]
        int n = labels.length;
        for (int k : new int[] {0, 3}) {
            byte[] texture = Textures.make(k, 256, SETTINGS.seed());
            for (int i = 0; i < n; i++) {
                int x0 = plan.x0()[k][i];
                int y0 = plan.y0()[k][i];
                boolean bright = pixels[plan.source()[k][i] * 784] * 255 > 128; // fixture digits are uniform
                for (int c = 0; c < 3; c++) {
                    int v = texture[c * 256 * 256 + (y0 + 5) * 256 + x0 + 9] & 0xFF;
                    int found = ByteImages.buffer(made).get((k * n + i) * 2352 + c * 784 + 5 * 28 + 9) & 0xFF;
                    assertEquals(bright ? 255 - v : v, found, "modality " + k + " row " + i + " channel " + c);
                }
            }
        }
    }

    @Test
    void theSameSeedMakesTheSameImagesAnotherSeedOthers() throws IOException {
        Dataset digits = digits("train");
        float[] pixels = digits.data(0).dup('c').data().asFloat();
        INDArray a = PolyMnist.generate(pixels, digits.labels(), "train", SETTINGS, "a");
        INDArray b = PolyMnist.generate(pixels, digits.labels(), "train", SETTINGS, "b");
        INDArray c = PolyMnist.generate(pixels, digits.labels(), "train", new PolyMnistSettings(5, 256, 8), "c");
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void theFiveTexturesAreDistinctAndNotFlat() {
        byte[][] textures = new byte[5][];
        for (int k = 0; k < 5; k++) {
            textures[k] = Textures.make(k, 256, 1);
            assertTrue(spread(textures[k]) > 20, Textures.KINDS.get(k) + " spread " + spread(textures[k]));
            for (int j = 0; j < k; j++) {
                assertFalse(Arrays.equals(textures[j], textures[k]), j + " and " + k);
            }
        }
    }

    @Test
    void splitsComeFromTheDisjointNpmSplits() throws IOException {
        Dataset train = PolyMnist.make(digits("train"), "train", SETTINGS, dir.resolve("cache"));
        Dataset test = PolyMnist.make(digits("test"), "test", SETTINGS, dir.resolve("cache"));
        assertEquals(digits("train").size(), train.size());
        assertEquals(digits("test").size(), test.size());
        assertArrayEquals(digits("test").labels(), test.labels());
        assertEquals(5, train.modalities().size());
        assertEquals("m4", train.modalities().get(4).name());
    }

    @Test
    void aCorruptCacheIsRebuiltWithTheSameImages() throws IOException {
        Dataset first = PolyMnist.make(digits("train"), "train", SETTINGS, dir.resolve("cache"));
        Path file;
        try (var files = Files.list(dir.resolve("cache"))) {
            file = files.filter(p -> p.toString().endsWith(".u8")).findFirst().orElseThrow();
        }
        byte[] good = Files.readAllBytes(file);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 0x5A;
        Files.write(file, bad);
        Dataset again = PolyMnist.make(digits("train"), "train", SETTINGS, dir.resolve("cache"));
        for (int k = 0; k < 5; k++) {
            assertEquals(first.data(k), again.data(k));
        }
        assertArrayEquals(good, Files.readAllBytes(file));
    }

    @Test
    void tooManyModalitiesNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> PolyMnistSettings.from(ConfigFactory.parseString(
                "chorus.data.polymnist { modalities = 6, texture-size = 256, seed = 1 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.polymnist.modalities = 6"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aTextureSmallerThan256NamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> PolyMnistSettings.from(ConfigFactory.parseString(
                "chorus.data.polymnist { modalities = 5, texture-size = 64, seed = 1 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.polymnist.texture-size = 64"), e.getMessage());
    }

    private static double spread(byte[] values) {
        double mean = 0;
        for (byte v : values) {
            mean += (v & 0xFF);
        }
        mean /= values.length;
        double var = 0;
        for (byte v : values) {
            var += ((v & 0xFF) - mean) * ((v & 0xFF) - mean);
        }
        return Math.sqrt(var / values.length);
    }
}
