package chorus.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The reference model's gradients against central finite differences of its own loss, in double. */
public class ReferenceModelTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final double BETA = 0.6;

    @BeforeAll
    static void doublePrecision() {
        org.nd4j.linalg.factory.Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** The shared whole-model check at this class's beta (other tests call it too). */
    public static void assertGradientsMatchFiniteDifferences(MultimodalVae model, Objective objective, Batch batch, int samples) {
        ModelGradCheck.assertGradients(model, objective, batch, BETA, samples, false);
    }

    @Test
    void mvaeGradientsMatchFiniteDifferencesWithMissingModalities() {
        MultimodalVae model = ModelFixtures.model(3, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 2, LAMBDAS, 11);
        assertGradientsMatchFiniteDifferences(model, mvae, ModelFixtures.batch(4, 9, DataType.DOUBLE, ModelFixtures.someMissing()), 12);
    }

    @Test
    void mopoeGradientsMatchFiniteDifferencesWithMissingModalities() {
        MultimodalVae model = ModelFixtures.model(4, DataType.DOUBLE);
        Objective mopoe = ElboObjective.mopoe(ModelFixtures.MODALITIES, false, LAMBDAS, 12);
        assertGradientsMatchFiniteDifferences(model, mopoe, ModelFixtures.batch(2, 8, DataType.DOUBLE, ModelFixtures.someMissing()), 12);
    }

    @Test
    void mvaeWithASequenceModalityGradientsMatchFiniteDifferences() {
        MultimodalVae model = ModelFixtures.sequenceModel(5, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.SEQUENCE_MODALITIES, 0, new double[] {1.0, 10.0}, 13);
        assertGradientsMatchFiniteDifferences(model, mvae,
                ModelFixtures.sequenceBatch(3, 7, DataType.DOUBLE, ModelFixtures.sequencePresence()), 12);
    }

    @Test
    void evaluateGivesTheTrainingLossAndLeavesParametersAlone() {
        MultimodalVae model = ModelFixtures.model(6, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 14);
        Batch batch = ModelFixtures.batch(3, 5, DataType.DOUBLE, ModelFixtures.someMissing());
        INDArray before = model.encoders().get(0).params();
        ReferenceModel.Evaluated e = ReferenceModel.evaluate(model, mvae, batch, BETA);
        assertEquals(ReferenceModel.gradients(model, mvae, batch, BETA).loss(), e.loss(), 1e-12);
        assertEquals(before, model.encoders().get(0).params());
        model.encoders().get(0).applyGradient(before.mul(0.0), 1, 0); // idle again: no forward left pending
    }

    @Test
    void modalityAbsentFromEveryRowGetsNoGradient() {
        MultimodalVae model = ModelFixtures.model(5, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 13);
        double[][] noLabel = {{1, 0, 1}, {1, 0, 0}, {0, 0, 1}};
        ReferenceModel.StepResult r = ReferenceModel.gradients(model, mvae, ModelFixtures.batch(0, 1, DataType.DOUBLE, noLabel), BETA);
        assertNull(r.encoderGrads().get(1));
        assertNull(r.decoderGrads().get(1));
        assertNotNull(r.encoderGrads().get(0));
    }

    @Test
    void absentRowsDoNotChangeTheGradient() {
        // Row values of an absent modality must not matter: change them and the gradients stay identical.
        MultimodalVae model = ModelFixtures.model(6, DataType.DOUBLE);
        Objective mopoe = ElboObjective.mopoe(ModelFixtures.MODALITIES, true, LAMBDAS, 14);
        Batch batch = ModelFixtures.batch(1, 2, DataType.DOUBLE, ModelFixtures.someMissing());
        ReferenceModel.StepResult a = ReferenceModel.gradients(model, mopoe, batch, BETA);
        List<INDArray> noisy = batch.tensors().stream().map(INDArray::dup).toList();
        noisy.get(0).getRow(2).assign(0.77);   // row 2 has no image
        noisy.get(1).getRow(1).assign(1.0);    // row 1 has no label
        Batch changed = new Batch(batch.step(), batch.modalities(), noisy, batch.presence(), batch.rows());
        ReferenceModel.StepResult b = ReferenceModel.gradients(model, mopoe, changed, BETA);
        assertEquals(a.loss(), b.loss(), 0.0);
        for (int j = 0; j < 3; j++) {
            assertEquals(a.encoderGrads().get(j), b.encoderGrads().get(j));
            assertEquals(a.decoderGrads().get(j), b.decoderGrads().get(j));
        }
    }

    @Test
    void sameStepGivesTheSameLossAndOtherStepsDiffer() {
        MultimodalVae model = ModelFixtures.model(7, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 15);
        double[][] all = ModelFixtures.allObserved();
        double l1 = ReferenceModel.gradients(model, mvae, ModelFixtures.batch(3, 4, DataType.DOUBLE, all), BETA).loss();
        double l2 = ReferenceModel.gradients(model, mvae, ModelFixtures.batch(3, 4, DataType.DOUBLE, all), BETA).loss();
        double l3 = ReferenceModel.gradients(model, mvae, ModelFixtures.batch(4, 4, DataType.DOUBLE, all), BETA).loss();
        assertEquals(l1, l2, 0.0);
        assertTrue(l1 != l3);
    }
}
