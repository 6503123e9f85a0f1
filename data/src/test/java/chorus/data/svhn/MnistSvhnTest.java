package chorus.data.svhn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.ByteImages;
import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.celeba.CelebASettings;
import chorus.data.config.SettingsException;
import chorus.data.generated.MultiMnistSettings;
import chorus.data.generated.PolyMnistSettings;
import chorus.data.npm.NpmMnist;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistSvhnTest {

    private static final int[] MNIST = {0, 1, 1, 2, 2, 2, 0, 1};
    private static final int[] SVHN = {1, 1, 1, 0, 2, 2, 0, 0, 0, 2};

    @TempDir
    Path dir;

    @Test
    void everyPairSharesItsClassAndEachDigitMeetsPairsPerDigitImages() {
        int[][] pairs = MnistSvhn.pairs(MNIST, SVHN, new MnistSvhnSettings(5, 10_000, 3), "train");
        assertEquals(5 * MNIST.length, pairs.length); // every class has at least as many SVHN images as digits
        int[] seen = new int[MNIST.length];
        for (int[] p : pairs) {
            assertEquals(MNIST[p[0]], SVHN[p[1]], Arrays.toString(p));
            seen[p[0]]++;
        }
        assertTrue(Arrays.stream(seen).allMatch(s -> s == 5), Arrays.toString(seen));
    }

    @Test
    void pairingIsSeededAndDiffersBetweenSeeds() {
        int[][] a = MnistSvhn.pairs(MNIST, SVHN, new MnistSvhnSettings(4, 10_000, 3), "train");
        int[][] b = MnistSvhn.pairs(MNIST, SVHN, new MnistSvhnSettings(4, 10_000, 3), "train");
        int[][] c = MnistSvhn.pairs(MNIST, SVHN, new MnistSvhnSettings(4, 10_000, 4), "train");
        assertTrue(Arrays.deepEquals(a, b));
        assertFalse(Arrays.deepEquals(a, c));
    }

    @Test
    void maxPerClassLimitsTheDigitsOfEachClass() {
        int[][] pairs = MnistSvhn.pairs(MNIST, SVHN, new MnistSvhnSettings(2, 1, 3), "train");
        assertEquals(2 * 3, pairs.length); // one digit of each of the three classes, twice
    }

    @Test
    void datasetPairsTheImagesOfTheNpmDigitsAndSvhn() throws IOException {
        Path svhn = dir.resolve("svhn");
        MatFixtures.write(svhn.resolve("train_32x32.mat"), true, List.of(MatFixtures.svhnImages(12),
                MatFixtures.labelsAsDoubles(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2)));
        MatFixtures.write(svhn.resolve("test_32x32.mat"), true, List.of(MatFixtures.svhnImages(2),
                MatFixtures.labelsAsDoubles(10, 1)));
        DataFixtures.digitsDir(dir.resolve("home/.chorus/datasets/mnist"), "digits", new int[] {2, 2, 1, 1, 1, 1, 1, 1, 1, 1});
        Datasets datasets = new Datasets(DataFixtures.locator(null, dir.resolve("home"), dir.resolve("sys")));
        DataSettings settings = new DataSettings(MnistSvhn.NAME, svhn.toString(), false, 10, 1, Map.of(),
                CelebASettings.DEFAULT, MultiMnistSettings.DEFAULT, PolyMnistSettings.DEFAULT, new MnistSvhnSettings(3, 10_000, 1),
                List.of());
        Dataset train = datasets.open(settings, "train");
        assertEquals(MnistSvhn.MODALITIES, train.modalities());
        Svhn.Split source = Svhn.read(svhn, "train");
        int[] labels = train.labels();
        int[] digits = NpmMnist.read(dir.resolve("home/.chorus/datasets/mnist"), "train", "here").labels();
        int expected = 0;
        for (int c = 0; c < 10; c++) {
            int k = c;
            expected += 3 * (int) Math.min(Arrays.stream(digits).filter(l -> l == k).count(),
                    Arrays.stream(source.labels()).filter(l -> l == k).count());
        }
        assertEquals(expected, train.size()); // 3 pairs per digit of each class, as many digits as both sides have
        for (int i = 0; i < train.size(); i++) {
            int digit = Math.round(train.data(0).getFloat(i, 0) * 100) / 10; // the fixture digit's class from its pixel
            assertEquals(labels[i], digit, "row " + i);
            int image = svhnIndex(source, (int) Math.round(train.data(1).getDouble(i, 0) * 255));
            assertEquals(labels[i], source.labels()[image], "row " + i);
        }
    }

    /** The SVHN fixture image whose first byte is {@code first} (the fixture's first pixels differ: 31 i mod 256). */
    private static int svhnIndex(Svhn.Split split, int first) {
        for (int i = 0; i < split.labels().length; i++) {
            if ((ByteImages.buffer(split.images()).get(i * 3072) & 0xFF) == first) {
                return i;
            }
        }
        throw new AssertionError("no SVHN image starts with " + first);
    }

    @Test
    void pairsPerDigitOutOfRangeNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> MnistSvhnSettings.from(ConfigFactory.parseString(
                "chorus.data.mnist-svhn { pairs-per-digit = 0, max-per-class = 10, seed = 1 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.mnist-svhn.pairs-per-digit = 0"), e.getMessage());
    }

    @Test
    void maxPerClassBelowOneNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> MnistSvhnSettings.from(ConfigFactory.parseString(
                "chorus.data.mnist-svhn { pairs-per-digit = 20, max-per-class = 0, seed = 1 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.mnist-svhn.max-per-class = 0"), e.getMessage());
    }

    @Test
    void missingSvhnFilesSayWhereToGetThem() {
        Datasets datasets = new Datasets(DataFixtures.locator(null, dir.resolve("home"), dir.resolve("sys")));
        DataSettings settings = new DataSettings(MnistSvhn.NAME, "", true, 10, 1, Map.of());
        DataException e = assertThrows(DataException.class, () -> datasets.open(settings, "train"));
        assertTrue(e.getMessage().startsWith("svhn: not found, expected train_32x32.mat and test_32x32.mat"), e.getMessage());
        assertTrue(e.getMessage().contains(Svhn.HOME_PAGE), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
