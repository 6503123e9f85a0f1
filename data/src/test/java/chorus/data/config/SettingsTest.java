package chorus.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed readers refuse what they would otherwise change: a fraction where an integer is expected. */
class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void aFractionalIntegerOnTheCommandLineIsRefusedNamingKeyOriginAndValue() {
        Config c = ChorusConfig.load(null, Map.of("chorus.data.batch-size", "1.5"));
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.intIn(c, "chorus.data.batch-size", 1, 100000));
        assertEquals("chorus.data.batch-size = 1.5 (command line -Dchorus.data.batch-size: 1): expected an integer in [1, 100000]",
                e.getMessage());
    }

    @Test
    void aFractionalIntegerInAFileIsRefusedNamingItsLine() throws IOException {
        Path file = Files.writeString(dir.resolve("exp.conf"), "chorus.model.latent = 2.9\n");
        Config c = ChorusConfig.load(file, Map.of());
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.intIn(c, "chorus.model.latent", 1, 4096));
        assertEquals("chorus.model.latent = 2.9 (" + file + ":1): expected an integer in [1, 4096]", e.getMessage());
    }

    @Test
    void aFractionalLongIsRefused() {
        Config c = ChorusConfig.load(null, Map.of("chorus.model.seed", "7.25"));
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.longValue(c, "chorus.model.seed"));
        assertEquals("chorus.model.seed = 7.25 (command line -Dchorus.model.seed: 1): expected an integer", e.getMessage());
    }

    @Test
    void aWholeNumberWrittenWithAFractionStillReads() {
        Config c = ChorusConfig.load(null, Map.of("chorus.data.batch-size", "32.0"));
        assertEquals(32, Settings.intIn(c, "chorus.data.batch-size", 1, 100000));
    }
}
