package chorus.data.generated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataFixtures;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.Modality;
import chorus.data.SequenceText;
import chorus.data.celeba.CelebASettings;
import chorus.data.config.SettingsException;
import chorus.data.fetch.DatasetLocator;
import chorus.data.svhn.MnistSvhnSettings;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MultiMNIST generated from tiny npm-style digit files whose every image is one unique grey value. */
class MultiMnistTest {

    @TempDir
    Path root;

    private Datasets datasets() {
        return new Datasets(new DatasetLocator(Map.of(), root.resolve("home"), root.resolve("system")));
    }

    private DataSettings settings(long seed) throws IOException {
        Path dir = root.resolve("mnist");
        if (!Files.isDirectory(dir)) {
            DataFixtures.digitsDir(dir, "digits", new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}); // 40 train, 10 test
        }
        return new DataSettings(MultiMnist.NAME, dir.toString(), false, 10, 3, Map.of(), CelebASettings.DEFAULT,
                new MultiMnistSettings(4, 60, 30, seed), PolyMnistSettings.DEFAULT, MnistSvhnSettings.DEFAULT, java.util.List.of());
    }

    /** The grey value at the centre of slot s of row r (every fixture digit is one flat value). */
    private static double slotCentre(Dataset d, int r, int s) {
        int[] o = MultiMnist.SLOT_ORIGINS[s];
        return d.batch(0, new int[] {r}).tensors().get(0).getDouble(0, (o[0] + 10) * 50 + o[1] + 10);
    }

    @Test
    void textIsTheDigitsInSlotOrderAndEmptySlotsAreBlank() throws IOException {
        Dataset d = datasets().open(settings(7), "train");
        Modality text = d.modalities().get(1);
        for (int r = 0; r < d.size(); r++) {
            String s = SequenceText.of(text, d.data(1), r);
            for (int slot = 0; slot < 4; slot++) {
                double v = slotCentre(d, r, slot);
                if (slot < s.length()) {
                    int digit = s.charAt(slot) - '0';
                    assertTrue(v >= digit / 10.0 - 0.003 && v <= digit / 10.0 + 0.093, "row " + r + " slot " + slot
                            + ": value " + v + " is no image of digit " + digit);
                } else {
                    assertEquals(0.0, v, 0.0, "row " + r + " slot " + slot + " is after the text '" + s + "'");
                }
            }
        }
    }

    @Test
    void trainAndTestAreBuiltFromDisjointSourceDigits() throws IOException {
        Set<Long> train = new HashSet<>();
        Set<Long> test = new HashSet<>();
        for (String split : new String[] {"train", "test"}) {
            Dataset d = datasets().open(settings(7), split);
            for (int r = 0; r < d.size(); r++) {
                for (int slot = 0; slot < SequenceText.of(d.modalities().get(1), d.data(1), r).length(); slot++) {
                    (split.equals("train") ? train : test).add(Math.round(slotCentre(d, r, slot) * 255));
                }
            }
        }
        train.retainAll(test);
        assertEquals(Set.of(), train, "grey values (source images) seen in both splits");
    }

    @Test
    void aSplitIsAFunctionOfTheSeed() throws IOException {
        INDArray a = datasets().open(settings(7), "train").data(1);
        Files.walk(root.resolve("home")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertEquals(a, datasets().open(settings(7), "train").data(1), "regenerated without the cache");
        assertNotEquals(a, datasets().open(settings(8), "train").data(1));
    }

    @Test
    void aCorruptCacheIsRebuilt() throws IOException {
        Dataset first = datasets().open(settings(7), "test");
        MultiMnistCache cache = new MultiMnistCache(root.resolve("home/.chorus/cache"), "test", settings(7).multimnist());
        byte[] bytes = Files.readAllBytes(cache.file());
        bytes[bytes.length - 1] ^= 1;
        Files.write(cache.file(), bytes);
        assertFalse(cache.read().isPresent(), "a flipped bit fails the CRC");
        Dataset again = datasets().open(settings(7), "test");
        assertEquals(first.data(1), again.data(1));
        assertTrue(cache.read().isPresent(), "the cache was written again");
    }

    @Test
    void moreDigitsThanSlotsNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> MultiMnistSettings.from(ConfigFactory.parseString(
                "chorus.data.multimnist { max-digits = 5, train-rows = 10, test-rows = 10, seed = 1 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.multimnist.max-digits = 5"), e.getMessage());
    }

    @Test
    void zeroRowsNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> MultiMnistSettings.from(ConfigFactory.parseString(
                "chorus.data.multimnist { max-digits = 4, train-rows = 0, test-rows = 10, seed = 1 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.multimnist.train-rows = 0"), e.getMessage());
    }

    @Test
    void textRoundTripsThroughOneHot() {
        Modality text = MultiMnist.modalities(4).get(1);
        INDArray row = org.nd4j.linalg.factory.Nd4j.create(SequenceText.oneHot(text, "177", "text"), new long[] {1, 44});
        assertEquals("177", SequenceText.of(text, row, 0));
        assertThrows(IllegalArgumentException.class, () -> SequenceText.oneHot(text, "17735", "text"));
    }
}
