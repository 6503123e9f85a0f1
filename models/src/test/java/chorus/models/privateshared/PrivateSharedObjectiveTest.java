package chorus.models.privateshared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The private + shared objective through whole tiny models (latent L = 3 = Ds + Dp): the reference
 * model's gradients against central finite differences of its loss in double, as ReferenceModelTest.
 */
class PrivateSharedObjectiveTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final double BETA = 0.6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** Norm-wise check of {@code samples} random parameters of every network that ran, tolerance 1e-6. */
    private static void assertGradientsMatchFiniteDifferences(MultimodalVae model, Objective objective, Batch batch) {
        ModelGradCheck.assertGradients(model, objective, batch, BETA, 12, false);
    }

    private static Batch batch(long step, double[][] presence) {
        return ModelFixtures.batch(step, 9, DataType.DOUBLE, presence);
    }

    @Test
    void mvaeGradientsMatchFiniteDifferencesWithMissingModalities() {
        Objective o = PrivateSharedObjective.mvae(ModelFixtures.MODALITIES, 2, 1, 2, LAMBDAS, 11);
        assertGradientsMatchFiniteDifferences(ModelFixtures.model(3, DataType.DOUBLE), o, batch(4, ModelFixtures.someMissing()));
    }

    @Test
    void mvaeGradientsMatchFiniteDifferencesWithEveryModalityObserved() {
        Objective o = PrivateSharedObjective.mvae(ModelFixtures.MODALITIES, 2, 1, 1, LAMBDAS, 12);
        assertGradientsMatchFiniteDifferences(ModelFixtures.model(4, DataType.DOUBLE), o, batch(1, ModelFixtures.allObserved()));
    }

    @Test
    void mopoeGradientsMatchFiniteDifferencesWithMissingModalities() {
        Objective o = PrivateSharedObjective.mopoe(ModelFixtures.MODALITIES, 1, 2, false, LAMBDAS, 13);
        assertGradientsMatchFiniteDifferences(ModelFixtures.model(5, DataType.DOUBLE), o, batch(2, ModelFixtures.someMissing()));
    }

    @Test
    void mopoeGradientsMatchFiniteDifferencesWithEveryModalityObserved() {
        Objective o = PrivateSharedObjective.mopoe(ModelFixtures.MODALITIES, 2, 1, true, LAMBDAS, 14);
        assertGradientsMatchFiniteDifferences(ModelFixtures.model(6, DataType.DOUBLE), o, batch(3, ModelFixtures.allObserved()));
    }

    @Test
    void withoutPrivateDimensionsItIsTheElboObjective() {
        MultimodalVae model = ModelFixtures.model(7, DataType.DOUBLE);
        Batch batch = batch(5, ModelFixtures.someMissing());
        var mine = ReferenceModel.gradients(model, PrivateSharedObjective.mvae(ModelFixtures.MODALITIES, 3, 0, 2, LAMBDAS, 15), batch, BETA);
        var elbo = ReferenceModel.gradients(model, ElboObjective.mvae(ModelFixtures.MODALITIES, 2, LAMBDAS, 15), batch, BETA);
        assertEquals(elbo.loss(), mine.loss(), 0.0);
        assertEquals(elbo.terms(), mine.terms());
        assertEquals(elbo.encoderGrads(), mine.encoderGrads());
        assertEquals(elbo.decoderGrads(), mine.decoderGrads());
    }

    @Test
    void sameStepGivesTheSameLossAndOtherStepsDiffer() {
        MultimodalVae model = ModelFixtures.model(8, DataType.DOUBLE);
        Objective o = PrivateSharedObjective.mopoe(ModelFixtures.MODALITIES, 2, 1, true, LAMBDAS, 16);
        double l1 = ReferenceModel.gradients(model, o, batch(3, ModelFixtures.allObserved()), BETA).loss();
        double l2 = ReferenceModel.gradients(model, o, batch(3, ModelFixtures.allObserved()), BETA).loss();
        double l3 = ReferenceModel.gradients(model, o, batch(4, ModelFixtures.allObserved()), BETA).loss();
        assertEquals(l1, l2, 0.0);
        assertTrue(l1 != l3);
    }

    @Test
    void sharedDimBelowOneIsRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PrivateSharedObjective.mvae(ModelFixtures.MODALITIES, 0, 3, 1, LAMBDAS, 1));
        assertTrue(e.getMessage().startsWith("sharedDim: 0"), e.getMessage());
    }

    @Test
    void negativePrivateDimIsRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PrivateSharedObjective.mopoe(ModelFixtures.MODALITIES, 3, -1, true, LAMBDAS, 1));
        assertTrue(e.getMessage().startsWith("privateDim: -1"), e.getMessage());
    }

    @Test
    void latentOtherThanSharedPlusPrivateIsRejectedByName() {
        Objective o = PrivateSharedObjective.mvae(ModelFixtures.MODALITIES, 2, 2, 1, LAMBDAS, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> ReferenceModel.gradients(
                ModelFixtures.model(9, DataType.DOUBLE), o, batch(0, ModelFixtures.allObserved()), BETA));
        assertEquals("experts: latent 3, expected sharedDim + privateDim = 2 + 2 = 4", e.getMessage());
    }
}
