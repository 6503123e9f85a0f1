package chorus.models.joint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
import chorus.models.objective.Rows;
import chorus.models.objective.TermValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** JMVAE-kl and MuMo-VAE: their input, their terms, and the reference model's gradients against finite differences. */
class JointModelsTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void jointModalityIsPresentOnlyWhereEveryModalityIs() {
        Batch b = JointFixtures.batch(JointFixtures.settings(Combination.JMVAE, 0, 1), 0, ModelFixtures.someMissing());
        assertEquals(JointInput.NAME, b.modalities().get(3).name());
        assertArrayEquals(new double[] {1, 0, 0, 0, 0}, Rows.doubles(b.presence().getColumn(3)), 0.0);
        assertEquals(16 + 3 + 3, b.tensors().get(3).size(1));
        assertEquals(b.tensors().get(1).getDouble(0, 2), b.tensors().get(3).getDouble(0, 16 + 2), 0.0);
    }

    @Test
    void mumoJointEncoderHasTheSharedAndEveryPrivateLatent() {
        MultimodalVae model = JointFixtures.model(JointFixtures.settings(Combination.MUMO, 1, 2));
        assertEquals(2 * (2 + 1), model.encoders().get(0).outputSize());
        assertEquals(2 * (2 + 3 * 1), model.encoders().get(3).outputSize());
        assertEquals(true, model.encoderOnly(3));
    }

    @Test
    void jmvaeGradientsMatchFiniteDifferencesWithMissingModalities() {
        assertGradients(JointFixtures.settings(Combination.JMVAE, 0, 3), new double[][] {{1, 1, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}});
    }

    @Test
    void mumoGradientsMatchFiniteDifferencesWithMissingModalities() {
        assertGradients(JointFixtures.settings(Combination.MUMO, 1, 4), ModelFixtures.someMissing());
    }

    private static void assertGradients(ModelSettings s, double[][] presence) {
        MultimodalVae model = JointFixtures.model(s);
        Objective objective = JointFixtures.objective(s);
        Batch batch = JointFixtures.batch(s, 7, presence);
        ReferenceModel.StepResult r = ReferenceModel.gradients(model, objective, batch, 0.6);
        assertNotNull(r.encoderGrads().get(3), "the joint encoder ran");
        assertNull(r.decoderGrads().get(3), "no term decodes the joint modality");
        ModelGradCheck.assertGradients(model, objective, batch, 0.6, 6, false);
    }

    /** JMVAE's loss is the joint term's nll + beta kl + alpha times the KL of the joint posterior to each expert. */
    @Test
    void jmvaeLossAddsAlphaTimesTheKlToEachUnimodalExpert() {
        ModelSettings s = JointFixtures.settings(Combination.JMVAE, 0, 5);
        ReferenceModel.Evaluated e = ReferenceModel.evaluate(JointFixtures.model(s), JointFixtures.objective(s),
                JointFixtures.batch(s, 1, ModelFixtures.allObserved()), 0.5);
        double nll = value(e, "nll[joint]");
        double kl = value(e, "kl[joint]");
        double toExperts = value(e, "kl[joint||image]") + value(e, "kl[joint||label]") + value(e, "kl[joint||features]");
        assertEquals(nll + 0.5 * kl + 0.7 * toExperts, e.loss(), 1e-10);
        assertEquals(5, e.terms().size());
    }

    /** MuMo's three VAE losses: one per unimodal encoder (its own modality) and the joint one. */
    @Test
    void mumoHasOneTermPerEncoder() {
        ModelSettings s = JointFixtures.settings(Combination.MUMO, 1, 6);
        ReferenceModel.Evaluated e = ReferenceModel.evaluate(JointFixtures.model(s), JointFixtures.objective(s),
                JointFixtures.batch(s, 1, ModelFixtures.someMissing()), 1.0);
        assertEquals(java.util.List.of("nll[image]", "kl[image]", "nll[label]", "kl[label]", "nll[features]", "kl[features]",
                "nll[joint]", "kl[joint]"), e.terms().stream().map(TermValue::name).toList());
        assertEquals(e.terms().stream().mapToDouble(TermValue::value).sum(), e.loss(), 1e-10);
    }

    @Test
    void privateLatentIsRefusedForJmvae() {
        var root = chorus.data.config.ChorusConfig.load(null, java.util.Map.of("chorus.model.combination", "jmvae",
                "chorus.model.private-latent", "2"));
        assertThrows(chorus.data.config.SettingsException.class, () -> ModelSettings.from(root, ModelFixtures.MODALITIES));
    }

    private static double value(ReferenceModel.Evaluated e, String name) {
        return e.terms().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().value();
    }
}
