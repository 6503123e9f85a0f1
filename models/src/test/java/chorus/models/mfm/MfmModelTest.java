package chorus.models.mfm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.data.config.ChorusConfig;
import chorus.data.config.SettingsException;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.joint.JointFixtures;
import chorus.models.objective.Objective;
import chorus.models.objective.Rows;
import chorus.models.objective.TermValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** MFM: its networks and input, its terms, and the reference model's gradients against finite differences. */
class MfmModelTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void multimodalEncoderReadsEveryModalityButTheLabelAndGivesTheSharedFactor() {
        ModelSettings s = MfmFixtures.settings("label", 1);
        MultimodalVae model = JointFixtures.model(s);
        Batch b = MfmFixtures.batch(s, 0, ModelFixtures.someMissing());
        assertEquals(16 + 3, b.tensors().get(3).size(1));
        assertEquals(16 + 3, model.encoders().get(3).inputSize());
        assertEquals(2 * 2, model.encoders().get(3).outputSize());
        assertArrayEquals(new double[] {1, 1, 0, 0, 0}, Rows.doubles(b.presence().getColumn(3)), 0.0);
        assertEquals(2 + 3 * 1, model.jointLatent());
    }

    private static final double[][] SOME_MISSING = {{1, 1, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}, {1, 1, 1}};

    /**
     * Without the surrogate terms (weight 0) every network's gradient is the loss's, finite differences included (the
     * label's encoder then has nothing to learn: only the surrogate terms read it).
     */
    @Test
    void gradientsMatchFiniteDifferencesWithMissingModalities() {
        assertGradients(MfmFixtures.settings("label", 3, 0.0), SOME_MISSING, j -> j != 1);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithoutALabelModality() {
        assertGradients(MfmFixtures.settings("", 4, 0.0), new double[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 0}, {1, 1, 1}}, j -> true);
    }

    /**
     * The surrogate terms regress each unimodal encoder onto F_y held constant: the unimodal encoders' gradients are the
     * loss's (finite differences), and the multimodal encoder's is the one without them.
     */
    @Test
    void surrogateTermsTrainOnlyTheUnimodalEncoders() {
        ModelSettings with = MfmFixtures.settings("label", 8, 0.5);
        ModelSettings without = MfmFixtures.settings("label", 8, 0.0);
        MultimodalVae model = JointFixtures.model(with);
        Batch batch = MfmFixtures.batch(with, 7, SOME_MISSING);
        assertGradients(with, SOME_MISSING, j -> j != 3);
        var a = ReferenceModel.gradients(model, JointFixtures.objective(with), batch, 1.0).encoderGrads().get(3);
        var b = ReferenceModel.gradients(model, JointFixtures.objective(without), batch, 1.0).encoderGrads().get(3);
        assertEquals(0.0, a.sub(b).norm2Number().doubleValue(), 1e-12 * b.norm2Number().doubleValue());
    }

    /** The loss adds the nll terms, mmd-weight (3) times the MMD terms and the surrogate weight (0.5) times theirs. */
    @Test
    void lossIsNllPlusWeightedMmdAndSurrogateTerms() {
        ModelSettings s = MfmFixtures.settings("label", 5);
        Batch batch = MfmFixtures.batch(s, 1, ModelFixtures.allObserved());
        ReferenceModel.Evaluated e = ReferenceModel.evaluate(JointFixtures.model(s), JointFixtures.objective(s), batch, 0.3);
        assertEquals(List.of("nll[image]", "nll[label]", "nll[features]", "mmd[joint]", "mmd[image]", "mmd[features]",
                "surrogate[image]", "surrogate[label]", "surrogate[features]"), e.terms().stream().map(TermValue::name).toList());
        double expected = 0;
        for (TermValue t : e.terms()) {
            expected += (t.name().startsWith("mmd") ? 3.0 : t.name().startsWith("surrogate") ? 0.5 : 1.0) * t.value();
        }
        assertEquals(expected, e.loss(), 1e-10);
        assertTrue(e.terms().stream().allMatch(t -> t.value() != 0), "every term has rows");
    }

    /** MFM has no KL: beta changes nothing. */
    @Test
    void betaDoesNotChangeTheLoss() {
        ModelSettings s = MfmFixtures.settings("label", 6);
        MultimodalVae model = JointFixtures.model(s);
        Objective objective = JointFixtures.objective(s);
        Batch batch = MfmFixtures.batch(s, 2, ModelFixtures.someMissing());
        assertEquals(ReferenceModel.evaluate(model, objective, batch, 0.0).loss(),
                ReferenceModel.evaluate(model, objective, batch, 1.0).loss(), 0.0);
    }

    @Test
    void aLabelThatIsNotCategoricalOrNoPrivateLatentIsRefused() {
        assertThrows(SettingsException.class, () -> ModelSettings.from(ChorusConfig.load(null, Map.of("chorus.model.combination",
                "mfm", "chorus.model.private-latent", "2", "chorus.model.mfm.label", "features")), ModelFixtures.MODALITIES));
        assertThrows(SettingsException.class, () -> ModelSettings.from(ChorusConfig.load(null, Map.of("chorus.model.combination",
                "mfm", "chorus.model.mfm.label", "label")), ModelFixtures.MODALITIES));
    }

    private static void assertGradients(ModelSettings s, double[][] presence, java.util.function.IntPredicate encoders) {
        MultimodalVae model = JointFixtures.model(s);
        Objective objective = JointFixtures.objective(s);
        Batch batch = MfmFixtures.batch(s, 7, presence);
        ReferenceModel.StepResult r = ReferenceModel.gradients(model, objective, batch, 0.6);
        assertNull(r.decoderGrads().get(3), "no term decodes the joint modality");
        ModelGradCheck.assertGradients(model, objective, batch, 0.6, 6, false, encoders);
    }
}
