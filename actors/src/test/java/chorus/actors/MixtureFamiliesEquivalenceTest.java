package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.WorkerHooks;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.meme.MemeObjective;
import chorus.models.mmvae.MixtureEstimator;
import chorus.models.mmvaeplus.PlusObjective;
import chorus.models.mvtcae.TcObjective;
import chorus.models.objective.Objective;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The actor system runs the families added beside MMVAE (MMVAE+, MVTCAE, ...) unchanged: the combiner only calls their term
 * stage, so a synchronous step gives the reference model's loss, terms and gradients in double.
 */
class MixtureFamiliesEquivalenceTest {

    private static final double[] LAMBDAS = {1.0, 2.0, 0.5};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** One synchronous step of {@code reference} (not changed) through the actors gives its loss, terms and gradients. */
    static void assertSameStep(MultimodalVae reference, Objective objective, Batch batch) {
        MultimodalVae owned = reference.copy();
        ReferenceModel.StepResult expected = ReferenceModel.gradients(reference, objective, batch, 0.8);
        try (TrainingSystem system = TrainingSystem.start(owned, objective,
                TrainingSystem.Options.local("mixture-families-test", DataType.DOUBLE, 3).withHooks(WorkerHooks.REPORT_GRADIENTS))) {
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

    private static Batch batch(double[][] presence) {
        return ModelFixtures.batch(6, 4, DataType.DOUBLE, presence);
    }

    @Test
    void mmvaePlusDregEqualsTheReferenceModelWithMissingModalities() {
        assertSameStep(ModelFixtures.model(33, DataType.DOUBLE),
                new PlusObjective(ModelFixtures.MODALITIES, 3, 1, 1.0, MixtureEstimator.DREG, LAMBDAS, 61),
                batch(ModelFixtures.someMissing()));
    }

    @Test
    void mmvaePlusIwaeEqualsTheReferenceModel() {
        assertSameStep(ModelFixtures.model(34, DataType.DOUBLE),
                new PlusObjective(ModelFixtures.MODALITIES, 2, 1, 1.0, MixtureEstimator.IWAE, LAMBDAS, 62),
                batch(ModelFixtures.allObserved()));
    }

    @Test
    void mvtcaeEqualsTheReferenceModelWithMissingModalities() {
        assertSameStep(ModelFixtures.model(35, DataType.DOUBLE),
                new TcObjective(ModelFixtures.MODALITIES, false, 0.4, LAMBDAS, 63), batch(ModelFixtures.someMissing()));
    }

    @Test
    void memeEqualsTheReferenceModelWithHalfTheRowsMissingAModality() {
        double[][] halfMissing = {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 0}, {1, 0, 0}, {0, 1, 0}};
        assertSameStep(ModelFixtures.model(36, DataType.DOUBLE),
                new MemeObjective(ModelFixtures.MODALITIES, 3, 10.0, LAMBDAS, 64),
                ModelFixtures.batch(6, 4, DataType.DOUBLE, halfMissing));
    }
}
