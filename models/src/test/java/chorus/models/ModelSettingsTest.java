package chorus.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.LikelihoodKind;
import chorus.data.config.ChorusConfig;
import chorus.data.config.SettingsException;
import chorus.models.nn.Architecture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ModelSettingsTest {

    private static ModelSettings read(Map<String, String> overrides) {
        return ModelSettings.from(ChorusConfig.load(null, overrides), ModelFixtures.MODALITIES);
    }

    @Test
    void defaultsPickArchitectureByKind() {
        ModelSettings s = read(Map.of());
        assertEquals(Architecture.MLP, s.modalities().get(0).arch());
        assertEquals(Architecture.EMBEDDING, s.modalities().get(1).arch());
        assertEquals(LikelihoodKind.BERNOULLI, s.modalities().get(0).likelihood());
    }

    @Test
    void perModalityEntriesOverrideTheDefaults() {
        ModelSettings s = read(Map.of("chorus.model.modalities.label.weight", "50",
                "chorus.model.modalities.image.hidden", "[7, 5]", "chorus.model.modalities.image.likelihood", "laplace"));
        assertEquals(50.0, s.lambdas()[1], 0.0);
        assertEquals(List.of(7, 5), s.modalities().get(0).hidden());
        assertEquals(LikelihoodKind.LAPLACE, s.modalities().get(0).likelihood());
    }

    @Test
    void entryForAModalityTheDatasetLacksIsNamed() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> read(Map.of("chorus.model.modalities.text.weight", "1")));
        assertTrue(e.getMessage().contains("the dataset has no modality 'text'"), e.getMessage());
    }

    @Test
    void unknownKeyInsideAModalityIsNamed() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> read(Map.of("chorus.model.modalities.image.widht", "1")));
        assertTrue(e.getMessage().startsWith("unknown key chorus.model.modalities.image.widht"), e.getMessage());
    }

    @Test
    void badHiddenListIsNamed() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> read(Map.of("chorus.model.modalities.image.hidden", "[0]")));
        assertTrue(e.getMessage().contains("a list of positive integers"), e.getMessage());
    }

    @Test
    void factoryBuildsNetworksOfTheConfiguredShape() {
        ModelSettings s = read(Map.of("chorus.model.latent", "4", "chorus.model.modalities.image.hidden", "[6]",
                "chorus.model.modalities.label.hidden", "[6]", "chorus.model.modalities.features.hidden", "[6]"));
        MultimodalVae vae = ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.FLOAT);
        assertEquals(8, vae.encoders().get(0).outputSize());
        assertEquals(16, vae.decoders().get(0).outputSize());
        assertEquals(4, vae.decoders().get(2).inputSize());
    }
}
