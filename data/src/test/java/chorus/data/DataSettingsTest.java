package chorus.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.celeba.CelebASettings;
import chorus.data.config.SettingsException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataSettingsTest {

    private static Config config(String data) {
        return ConfigFactory.parseString("chorus.data { dataset = mnist, path = \"/d\", download = false, "
                + "batch-size = 64, seed = 5, missing { label = 0.25 }, celeba { image-size = 64, limit = 0 } }\nchorus.data { " + data + " }").resolve();
    }

    @Test
    void readsEveryKey() {
        assertEquals(new DataSettings("mnist", "/d", false, 64, 5, Map.of("label", 0.25)),
                DataSettings.from(config("")));
    }

    @Test
    void batchSizeOutOfRangeNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> DataSettings.from(config("batch-size = 0")));
        assertTrue(e.getMessage().startsWith("chorus.data.batch-size = 0"), e.getMessage());
    }

    @Test
    void aConfigStoredBeforeTheCelebaKeysReadsTheirDefaults() {
        Config old = ConfigFactory.parseString("chorus.data { dataset = mnist, path = \"/d\", download = false, "
                + "batch-size = 64, seed = 5, missing {} }").resolve();
        assertEquals(CelebASettings.DEFAULT, DataSettings.from(old).celeba());
    }

    @Test
    void celebaImageSizeNotDivisibleByFourNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> DataSettings.from(config("celeba { image-size = 30 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.celeba.image-size = 30"), e.getMessage());
        assertTrue(e.getMessage().contains("a multiple of 4"), e.getMessage());
    }

    @Test
    void negativeCelebaLimitNamesTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> DataSettings.from(config("celeba { limit = -1 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.celeba.limit = -1"), e.getMessage());
    }

    @Test
    void missingFractionOfOneNamesItsKey() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> DataSettings.from(config("missing { image = 1.0 }")));
        assertTrue(e.getMessage().startsWith("chorus.data.missing.image = 1.0"), e.getMessage());
    }
}
