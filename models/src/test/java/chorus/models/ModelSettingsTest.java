package chorus.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.data.LikelihoodKind;
import chorus.data.config.ChorusConfig;
import chorus.data.config.SettingsException;
import chorus.models.concat.Concatenation;
import chorus.models.nn.arch.Architecture;
import chorus.models.privateshared.PrivateSharedObjective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void annealingKeysGiveTheSchedule() {
        ModelSettings s = read(Map.of("chorus.model.kl-anneal", "cyclical", "chorus.model.kl-anneal-steps", "100",
                "chorus.model.kl-anneal-ratio", "0.25", "chorus.model.target-beta", "2.5"));
        assertEquals(new chorus.models.objective.KlAnnealing(chorus.models.objective.KlAnnealing.Schedule.CYCLICAL, 100, 0.0, 2.5, 0.25),
                s.annealing());
        assertEquals(1.0, s.annealing().beta(110), 1e-12);
        assertEquals(1.0, read(Map.of()).annealing().beta(0), 0.0);
    }

    @Test
    void mmvaePlusBuildsSharedPlusSpecificLatentsAndItsObjective() {
        ModelSettings s = read(Map.of("chorus.model.combination", "mmvaeplus", "chorus.model.latent", "4",
                "chorus.model.private-latent", "2", "chorus.model.aux-prior-scale", "0.5"));
        MultimodalVae model = ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.DOUBLE);
        assertEquals(6, model.latent());
        assertEquals(2, model.privateLatent());
        assertEquals(0.5, s.auxPriorScale(), 0.0);
        assertTrue(ModelFactory.objective(s, ModelFixtures.MODALITIES) instanceof chorus.models.mmvaeplus.PlusObjective);
    }

    @Test
    void badAnnealingValuesNameTheKey() {
        SettingsException e = assertThrows(SettingsException.class, () -> read(Map.of("chorus.model.kl-anneal", "cosine")));
        assertTrue(e.getMessage().contains("chorus.model.kl-anneal") && e.getMessage().contains("linear, cyclical"), e.getMessage());
        e = assertThrows(SettingsException.class, () -> read(Map.of("chorus.model.kl-anneal-ratio", "0")));
        assertTrue(e.getMessage().contains("chorus.model.kl-anneal-ratio"), e.getMessage());
        e = assertThrows(SettingsException.class, () -> read(Map.of("chorus.model.target-beta", "-1")));
        assertTrue(e.getMessage().contains("chorus.model.target-beta"), e.getMessage());
        e = assertThrows(SettingsException.class, () -> read(Map.of("chorus.model.kl-anneal-steps", "-5")));
        assertTrue(e.getMessage().contains("chorus.model.kl-anneal-steps"), e.getMessage());
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

    @Test
    void convStridesAndPaddingsLayOutTheImageNetworks() {
        ModelSettings s = read(Map.of("chorus.model.modalities.image.arch", "conv",
                "chorus.model.modalities.image.hidden", "[2, 3, 4]", "chorus.model.modalities.image.strides", "[2, 1]",
                "chorus.model.modalities.image.paddings", "[1, 1]"));
        assertEquals(new chorus.models.nn.arch.ConvLayout(List.of(2, 1), List.of(1, 1)), s.modalities().get(0).conv());
        assertEquals(16, ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.FLOAT).decoders().get(0).outputSize());
    }

    @Test
    void stridesOfAnotherLengthThanTheConvolutionsNameTheKey() {
        String m = error(Map.of("chorus.model.modalities.image.arch", "conv",
                "chorus.model.modalities.image.hidden", "[2, 3, 4]", "chorus.model.modalities.image.strides", "[2]",
                "chorus.model.modalities.image.paddings", "[1]"));
        assertTrue(m.startsWith("chorus.model.modalities.image.strides") && m.contains("2 of each"), m);
    }

    @Test
    void stridesWithoutPaddingsOrOnAnMlpNameTheKey() {
        assertTrue(error(Map.of("chorus.model.modalities.image.arch", "conv", "chorus.model.modalities.image.strides",
                "[2, 2]")).contains("strides and paddings together"));
        assertTrue(error(Map.of("chorus.model.modalities.image.strides", "[2]", "chorus.model.modalities.image.paddings",
                "[1]")).contains("this modality's arch is mlp"));
    }

    @Test
    void aSequenceTakesOnlyTheSequenceLikelihoodAndNoOtherModalityDoes() {
        SettingsException e = assertThrows(SettingsException.class, () -> ModelSettings.from(ChorusConfig.load(null,
                Map.of("chorus.model.modalities.text.likelihood", "categorical")), ModelFixtures.SEQUENCE_MODALITIES));
        assertTrue(e.getMessage().startsWith("chorus.model.modalities.text.likelihood = 'categorical'")
                && e.getMessage().contains("a token sequence"), e.getMessage());
        assertTrue(error(Map.of("chorus.model.modalities.label.likelihood", "sequence")).contains("only sequence modalities"));
    }

    private static String error(Map<String, String> overrides) {
        return assertThrows(SettingsException.class, () -> read(overrides)).getMessage();
    }

    @Test
    void privateLatentWithAMixtureIsRejectedNamingTheKey() {
        String e = error(Map.of("chorus.model.combination", "moe", "chorus.model.private-latent", "4"));
        assertTrue(e.startsWith("chorus.model.private-latent = 4 (command line -Dchorus.model.private-latent"), e);
        assertTrue(e.contains("expected 0 with combination = moe"), e);
    }

    @Test
    void privateLatentWithTheConcatenatedModelNamesTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("x.conf"), "chorus.model {\n  combination = concat\n  private-latent = 2\n}\n");
        SettingsException e = assertThrows(SettingsException.class,
                () -> ModelSettings.from(ChorusConfig.load(file, Map.of()), ModelFixtures.MODALITIES));
        assertTrue(e.getMessage().startsWith("chorus.model.private-latent = 2 (" + file + ":3): expected 0 with combination"
                + " = concat"), e.getMessage());
    }

    @Test
    void negativePrivateLatentIsNamed() {
        assertTrue(error(Map.of("chorus.model.private-latent", "-1")).contains("private-latent = -1"));
    }

    @Test
    void concatRefusesAModalitysArchitectureAndPointsToConcatHidden() {
        String e = error(Map.of("chorus.model.combination", "concat", "chorus.model.modalities.image.arch", "conv"));
        assertTrue(e.startsWith("chorus.model.modalities.image.arch (command line"), e);
        assertTrue(e.contains("chorus.model.concat-hidden"), e);
    }

    @Test
    void badConcatHiddenIsNamed() {
        String e = error(Map.of("chorus.model.combination", "concat", "chorus.model.concat-hidden", "[8, 0]"));
        assertTrue(e.startsWith("chorus.model.concat-hidden = [8,0]") && e.contains("a list of positive integers"), e);
    }

    @Test
    void segmentedIsNoLikelihoodForOneModality() {
        String e = error(Map.of("chorus.model.modalities.image.likelihood", "segmented"));
        assertTrue(e.startsWith("chorus.model.modalities.image.likelihood = 'segmented'") && e.contains("bernoulli"), e);
    }

    @Test
    void privateLatentWidensEveryNetworkAndSelectsThePrivateSharedObjective() {
        ModelSettings s = read(Map.of("chorus.model.latent", "4", "chorus.model.private-latent", "2",
                "chorus.model.combination", "mopoe", "chorus.model.modalities.image.hidden", "[6]"));
        MultimodalVae vae = ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.FLOAT);
        assertEquals(12, vae.encoders().get(0).outputSize());
        assertEquals(6, vae.decoders().get(1).inputSize());
        assertEquals(4 + 3 * 2, vae.jointLatent());
        PrivateSharedObjective o = (PrivateSharedObjective) ModelFactory.objective(s, ModelFixtures.MODALITIES);
        assertEquals(6, o.latent());
    }

    @Test
    void concatBuildsOneJointModalityAndConvertsBatchesToIt() {
        ModelSettings s = read(Map.of("chorus.model.latent", "4", "chorus.model.combination", "concat",
                "chorus.model.concat-hidden", "[7]"));
        MultimodalVae vae = ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.FLOAT);
        assertEquals(List.of(Concatenation.joint(ModelFixtures.MODALITIES)), vae.modalities());
        assertEquals(LikelihoodKind.SEGMENTED, vae.modalities().get(0).likelihood());
        assertEquals(chorus.models.nn.arch.Networks.encoder(vae.modalities().get(0), "mlp", 4, List.of(7),
                chorus.models.nn.NetworkOptions.of(1)).numParams(), vae.encoders().get(0).numParams());
        assertEquals(8, vae.encoders().get(0).outputSize());
        Batch b = ModelFixtures.batch(0, 1, DataType.FLOAT, ModelFixtures.someMissing());
        Batch joint = ModelFactory.input(s).apply(b);
        assertEquals(Concatenation.batch(b).tensors().get(0), joint.tensors().get(0));
    }
}
