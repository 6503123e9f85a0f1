package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.WorkerHooks;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
import chorus.models.privateshared.PrivateSharedObjective;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The actor system runs the private + shared objective unchanged (the combiner only calls the term
 * stage): a synchronous step gives the reference model's loss, terms and gradients (latent 3 = Ds + Dp).
 */
class PrivateSharedEquivalenceTest {

    private static final double[] LAMBDAS = {1.0, 2.0, 0.5};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static void assertSameStep(Objective objective, double[][] presence) {
        assertSameStep(ModelFixtures.model(33, DataType.DOUBLE), objective, ModelFixtures.batch(6, 4, DataType.DOUBLE, presence));
    }

    /** One synchronous step of {@code reference} (not changed) through the actors gives its loss, terms and gradients. */
    static void assertSameStep(MultimodalVae reference, Objective objective, Batch batch) {
        MultimodalVae owned = reference.copy();
        ReferenceModel.StepResult expected = ReferenceModel.gradients(reference, objective, batch, 0.8);
        try (TrainingSystem system = TrainingSystem.start(owned, objective,
                TrainingSystem.Options.local("private-shared-test", DataType.DOUBLE, 3).withHooks(WorkerHooks.REPORT_GRADIENTS))) {
            StepReport got = system.step(batch, 0.8, 1).toCompletableFuture().join();
            assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()));
            assertEquals(expected.terms().size(), got.terms().size());
            for (int i = 0; i < expected.terms().size(); i++) {
                assertEquals(expected.terms().get(i).name(), got.terms().get(i).name());
                assertEquals(expected.terms().get(i).value(), got.terms().get(i).value(), 1e-9);
            }
            for (int j = 0; j < reference.modalities().size(); j++) {
                SyncEquivalenceTest.assertRelClose("encoder " + j, expected.encoderGrads().get(j), got.encoderGrads().get(j), 1e-6);
                SyncEquivalenceTest.assertRelClose("decoder " + j, expected.decoderGrads().get(j), got.decoderGrads().get(j), 1e-6);
            }
        }
    }

    @Test
    void mvaeGradientsEqualTheReferenceModelWithMissingModalities() {
        assertSameStep(PrivateSharedObjective.mvae(ModelFixtures.MODALITIES, 2, 1, 2, LAMBDAS, 51), ModelFixtures.someMissing());
    }

    @Test
    void mopoeGradientsEqualTheReferenceModelWithMissingModalities() {
        assertSameStep(PrivateSharedObjective.mopoe(ModelFixtures.MODALITIES, 1, 2, false, LAMBDAS, 52), ModelFixtures.someMissing());
    }

    @Test
    void mvaeGradientsEqualTheReferenceModelWithEveryModalityObserved() {
        assertSameStep(PrivateSharedObjective.mvae(ModelFixtures.MODALITIES, 2, 1, 1, LAMBDAS, 53), ModelFixtures.allObserved());
    }
}
