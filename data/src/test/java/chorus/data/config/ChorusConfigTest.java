package chorus.data.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChorusConfigTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("exp.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsLoadWithoutAnExperimentFile() {
        Config c = ChorusConfig.load(null, Map.of());
        assertEquals(100, Settings.intIn(c, "chorus.data.batch-size", 1, 100000));
    }

    @Test
    void experimentFileOverridesTheDefaults() throws IOException {
        Config c = ChorusConfig.load(write("chorus.data.batch-size = 32"), Map.of());
        assertEquals(32, c.getInt("chorus.data.batch-size"));
    }

    @Test
    void commandLineOverridesTheExperimentFile() throws IOException {
        Config c = ChorusConfig.load(write("chorus.data.batch-size = 32"), Map.of("chorus.data.batch-size", "7"));
        assertEquals(7, c.getInt("chorus.data.batch-size"));
    }

    @Test
    void commandLineStringValuesNeedNoQuotes() {
        Config c = ChorusConfig.load(null, Map.of("chorus.data.path", "/tmp/some dir"));
        assertEquals("/tmp/some dir", c.getString("chorus.data.path"));
    }

    @Test
    void unknownKeyIsNamedWithItsFileLineAndASuggestion() throws IOException {
        Path file = write("chorus.data {\n  batchsize = 32\n}\n");
        SettingsException e = assertThrows(SettingsException.class, () -> ChorusConfig.load(file, Map.of()));
        assertTrue(e.getMessage().startsWith("unknown key chorus.data.batchsize (" + file + ":2)"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean chorus.data.batch-size?"), e.getMessage());
    }

    @Test
    void unknownCommandLineKeyIsAnError() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> ChorusConfig.load(null, Map.of("chorus.data.bogus", "1")));
        assertTrue(e.getMessage().contains("chorus.data.bogus"), e.getMessage());
        assertTrue(e.getMessage().contains("command line"), e.getMessage());
    }

    @Test
    void entriesOfAnOpenMapAreAllowed() throws IOException {
        Config c = ChorusConfig.load(write("chorus.data.missing { label = 0.25 }"), Map.of());
        assertEquals(Map.of("label", 0.25), Settings.fractionMap(c, "chorus.data.missing"));
    }

    @Test
    void illTypedValueNamesKeyFileAndExpectation() throws IOException {
        Path file = write("chorus.data.batch-size = lots");
        Config c = ChorusConfig.load(file, Map.of());
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.intIn(c, "chorus.data.batch-size", 1, 100000));
        assertEquals("chorus.data.batch-size = 'lots' (" + file + ":1): expected an integer in [1, 100000]", e.getMessage());
    }

    @Test
    void outOfRangeValueIsAnError() throws IOException {
        Config c = ChorusConfig.load(write("chorus.data.batch-size = 0"), Map.of());
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.intIn(c, "chorus.data.batch-size", 1, 100000));
        assertTrue(e.getMessage().endsWith("expected an integer in [1, 100000]"), e.getMessage());
    }

    @Test
    void missingFractionOfOneIsRejected() throws IOException {
        Config c = ChorusConfig.load(write("chorus.data.missing { label = 1.0 }"), Map.of());
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.fractionMap(c, "chorus.data.missing"));
        assertTrue(e.getMessage().startsWith("chorus.data.missing.label = 1.0 ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected a number in [0.0, 1.0)"), e.getMessage());
    }

    @Test
    void unknownEnumValueListsTheChoices() {
        Config c = ChorusConfig.load(null, Map.of("chorus.data.dataset", "cifar"));
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.enumValue(c, "chorus.data.dataset", java.util.concurrent.TimeUnit.class));
        assertTrue(e.getMessage().contains("expected one of nanoseconds"), e.getMessage());
    }

    @Test
    void missingExperimentFileIsNamed() {
        Path nowhere = dir.resolve("nope.conf");
        SettingsException e = assertThrows(SettingsException.class, () -> ChorusConfig.load(nowhere, Map.of()));
        assertEquals(nowhere + ": no such config file", e.getMessage());
    }
}
