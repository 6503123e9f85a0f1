package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.coordinator.TrainSettings;
import chorus.data.DataSettings;
import chorus.data.Datasets;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.tools.evaluation.Condition;
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
    void theMultiMnistExperimentIsTheReferencesImageAndGruTextModel() {
        ModelSettings s = model("multimnist-mvae.conf");
        List<chorus.data.Modality> modalities = Datasets.modalities(DataSettings.from(
                ChorusConfig.load(DIR.resolve("multimnist-mvae.conf"), Map.of())));
        chorus.models.MultimodalVae vae = chorus.models.ModelFactory.build(s, modalities,
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertEquals(10.0, s.lambdas()[1], 0.0);
        assertEquals(2 * 64, vae.encoders().get(0).outputSize()); // the four-layer conv encoder: 50 -> 2
        assertEquals(2500, vae.decoders().get(0).outputSize());
        assertEquals(4 * 11, vae.decoders().get(1).targetWidth()); // the GRU text decoder reads [z | text]
        long embedding = 11 * 200;
        long gru = 2 * ((200 * 600 + 600) + (200 * 600 + 600));
        assertEquals(embedding + gru + (400 * 128 + 128), vae.encoders().get(1).numParams());
    }

    @Test
    void aTextConditionIsTheOneHotTextPadded() {
        ModelSettings s = model("multimnist-mvae.conf");
        List<chorus.data.Modality> modalities = Datasets.modalities(DataSettings.from(
                ChorusConfig.load(DIR.resolve("multimnist-mvae.conf"), Map.of())));
        chorus.models.MultimodalVae vae = chorus.models.ModelFactory.build(s, modalities,
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        Condition c = Condition.parse("text=17", vae, "multimnist");
        assertEquals("17", chorus.data.SequenceText.of(modalities.get(1), c.value(), 0));
        assertEquals(1.0, c.value().getDouble(0, 2 * 11 + 10), 0.0, "position 2 is padding");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("text=17735", vae, "multimnist"));
        assertTrue(e.getMessage().contains("5 tokens, expected at most 4"), e.getMessage());
    }

    @Test
    void theConcatenationExperimentIsTheConcatenatedVae() {
        ModelSettings s = model("fashion-vae-concat.conf");
        assertEquals(Combination.CONCAT, s.combination());
        assertEquals(List.of(512, 512), s.concatHidden());
        assertEquals(50.0, s.lambdas()[1], 0.0);
    }
}
