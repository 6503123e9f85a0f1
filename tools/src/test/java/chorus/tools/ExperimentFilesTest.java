package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.coordinator.TrainSettings;
import chorus.data.DataSettings;
import chorus.data.Datasets;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every experiment file in conf/experiments is a valid config, and the variants' files select their variant. */
class ExperimentFilesTest {

    private static final Path DIR = Path.of("..", "conf", "experiments"); // tests run in the module directory

    private static ModelSettings model(String file) {
        Config c = ChorusConfig.load(DIR.resolve(file), Map.of());
        DataSettings data = DataSettings.from(c);
        TrainSettings.from(c);
        return ModelSettings.from(c, Datasets.modalities(data));
    }

    @Test
    void everyExperimentFileReadsIntoSettings() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.list(DIR)) {
            files = all.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(files.size() >= 6, files.toString());
        files.forEach(f -> model(f.getFileName().toString()));
    }

    @Test
    void thePrivateLatentExperimentSplitsItsLatent() {
        ModelSettings s = model("fashion-mvae-private.conf");
        assertEquals(Combination.POE, s.combination());
        assertEquals(64, s.latent());
        assertEquals(16, s.privateLatent());
    }

    @Test
    void theConcatenationExperimentIsTheConcatenatedVae() {
        ModelSettings s = model("fashion-vae-concat.conf");
        assertEquals(Combination.CONCAT, s.combination());
        assertEquals(List.of(512, 512), s.concatHidden());
        assertEquals(50.0, s.lambdas()[1], 0.0);
    }
}
