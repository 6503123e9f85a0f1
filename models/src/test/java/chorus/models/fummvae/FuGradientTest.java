package chorus.models.fummvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.ModelSettings;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.joint.JointFixtures;
import chorus.models.objective.TermValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factorised MMVAE through the registry: its whole-model gradient against finite differences, its terms. */
class FuGradientTest {

    private static final double[] LAMBDAS = {1.0, 2.0, 0.5};
    private static final double[][] SOME_MISSING = {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 0}, {0, 0, 1}};

    @Test
    void registryBuildsTheMmvaeAndAUnimodalVaePerModality() {
        MultimodalVae model = JointFixtures.model(JointFixtures.settings(Combination.FUMMVAE, 0, 3));
        assertEquals(List.of("image", "label", "features", "image-uni", "label-uni", "features-uni"),
                model.modalities().stream().map(chorus.data.Modality::name).toList());
    }

    @Test
    void gradientsMatchFiniteDifferencesWithAStrongInfoNceTerm() {
        ModelSettings s = JointFixtures.settings(Combination.FUMMVAE, 0, 4);
        Batch batch = JointFixtures.batch(s, 7, ModelFixtures.allObserved());
        ModelGradCheck.assertGradients(JointFixtures.model(s), new FuObjective(ModelFixtures.MODALITIES, LAMBDAS, 40.0, 9),
                batch, 0.6, 4, true);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithMissingModalities() {
        ModelSettings s = JointFixtures.settings(Combination.FUMMVAE, 0, 5);
        Batch batch = JointFixtures.batch(s, 8, SOME_MISSING);
        ModelGradCheck.assertGradients(JointFixtures.model(s), JointFixtures.objective(s), batch, 0.8, 4, true);
    }

    @Test
    void termsAddUpToTheLossAndInfoNceIsAlphaOverBatchTimesTheMeanCrossEntropy() {
        ModelSettings s = JointFixtures.settings(Combination.FUMMVAE, 0, 6);
        Batch batch = JointFixtures.batch(s, 9, ModelFixtures.allObserved());
        MultimodalVae model = JointFixtures.model(s);
        var one = ReferenceModel.gradients(model, new FuObjective(ModelFixtures.MODALITIES, LAMBDAS, 1.0, 2), batch, 1.0);
        var three = ReferenceModel.gradients(model, new FuObjective(ModelFixtures.MODALITIES, LAMBDAS, 3.0, 2), batch, 1.0);
        assertEquals(one.loss(), one.terms().stream().mapToDouble(TermValue::value).sum(), 1e-12 * Math.abs(one.loss()));
        for (int i = 0; i < one.terms().size(); i++) {
            String name = one.terms().get(i).name();
            double scale = name.startsWith("infonce") ? 3.0 : 1.0;
            assertEquals(scale * one.terms().get(i).value(), three.terms().get(i).value(), 1e-12, name);
        }
        double infonce = one.terms().stream().filter(t -> t.name().equals("infonce[image]")).findFirst().orElseThrow().value();
        assertTrue(infonce > 0, "a cross-entropy is positive: " + infonce);
    }

    @Test
    void aModalityNoRowObservesTrainsNeitherOfItsVaes() {
        ModelSettings s = JointFixtures.settings(Combination.FUMMVAE, 0, 7);
        double[][] noLabel = {{1, 0, 1}, {1, 0, 1}, {0, 0, 1}};
        var r = ReferenceModel.gradients(JointFixtures.model(s), JointFixtures.objective(s), JointFixtures.batch(s, 3, noLabel), 1.0);
        assertNull(r.decoderGrads().get(1));
        assertNull(r.decoderGrads().get(4));
        assertEquals(0.0, r.terms().stream().filter(t -> t.name().equals("infonce[label]")).findFirst().orElseThrow().value());
    }

    @Test
    void evaluationReadsTheMmvaeItselfNotACopy() {
        ModelSettings s = JointFixtures.settings(Combination.FUMMVAE, 0, 8);
        MultimodalVae model = JointFixtures.model(s);
        MultimodalVae mmvae = chorus.models.ModelFactory.evaluated(s, model);
        assertEquals(ModelFixtures.MODALITIES, mmvae.modalities());
        for (int j = 0; j < 3; j++) {
            assertTrue(mmvae.encoders().get(j) == model.encoders().get(j) && mmvae.decoders().get(j) == model.decoders().get(j));
        }
    }
}
