package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.mmvae.MixtureObjective;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Synchronous mode computes the reference model's gradients, and trains to the same parameters. */
class SyncEquivalenceTest {

    private static final double[] LAMBDAS = {1.0, 2.0, 0.5};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static void assertRelClose(String what, INDArray expected, INDArray actual, double tol) {
        if (expected == null || actual == null) {
            assertEquals(expected == null, actual == null, what + ": one side is null");
            return;
        }
        double scale = expected.norm2Number().doubleValue() + actual.norm2Number().doubleValue();
        double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).norm2Number().doubleValue()
                / Math.max(scale, 1e-300);
        assertTrue(err < tol, what + ": relative difference " + err);
    }

    private static void assertSameGradients(Objective objective, double[][] presence) {
        assertSameGradients(objective, presence, "");
    }

    /** As above with the workers placed by {@code placement} (chorus.* keys); the reference runs on one thread. */
    private static void assertSameGradients(Objective objective, double[][] presence, String placement) {
        MultimodalVae reference = ModelFixtures.model(31, DataType.DOUBLE);
        MultimodalVae owned = reference.copy();
        Batch batch = ModelFixtures.batch(5, 3, DataType.DOUBLE, presence);
        ReferenceModel.StepResult expected = ReferenceModel.gradients(reference, objective, batch, 0.8);
        Placement place = Placement.from(ConfigFactory.parseString(placement), ModelFixtures.MODALITIES);
        try (TrainingSystem system = TrainingSystem.start(owned, objective,
                TrainingSystem.Options.local("sync-test", DataType.DOUBLE, 3).withPlacement(place)
                        .withHooks(WorkerHooks.REPORT_GRADIENTS))) {
            StepReport got = system.step(batch, 0.8, 1).toCompletableFuture().join();
            assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()));
            for (int j = 0; j < 3; j++) {
                assertRelClose("encoder " + j, expected.encoderGrads().get(j), got.encoderGrads().get(j), 1e-6);
                assertRelClose("decoder " + j, expected.decoderGrads().get(j), got.decoderGrads().get(j), 1e-6);
            }
        }
    }

    @Test
    void mvaeGradientsEqualTheReferenceModel() {
        assertSameGradients(ElboObjective.mvae(ModelFixtures.MODALITIES, 2, LAMBDAS, 41), ModelFixtures.allObserved());
    }

    @Test
    void mvaeGradientsEqualTheReferenceModelWithMissingModalities() {
        assertSameGradients(ElboObjective.mvae(ModelFixtures.MODALITIES, 2, LAMBDAS, 42), ModelFixtures.someMissing());
    }

    @Test
    void workersSplittingEveryLayerOverThreeThreadsEqualTheReferenceModel() {
        // min-chunk 0: even these tiny layers are cut into row chunks (the batch's rows: 2, 1 and 2 per chunk)
        assertSameGradients(ElboObjective.mvae(ModelFixtures.MODALITIES, 2, LAMBDAS, 44), ModelFixtures.someMissing(),
                "chorus.intra-op-threads = 3\nchorus.intra-op-min-chunk = 0");
    }

    @Test
    void mopoeGradientsEqualTheReferenceModelWithMissingModalities() {
        assertSameGradients(ElboObjective.mopoe(ModelFixtures.MODALITIES, false, LAMBDAS, 43), ModelFixtures.someMissing());
    }

    @Test
    void mmvaeIwaeGradientsEqualTheReferenceModelWithMissingModalities() {
        assertSameGradients(MixtureObjective.iwae(ModelFixtures.MODALITIES, 3, LAMBDAS, 45), ModelFixtures.someMissing());
    }

    @Test
    void mmvaeDregGradientsEqualTheReferenceModel() {
        assertSameGradients(MixtureObjective.dreg(ModelFixtures.MODALITIES, 2, LAMBDAS, 46), ModelFixtures.allObserved());
    }

    @Test
    void mmvaeElboGradientsEqualTheReferenceModelWithMissingModalities() {
        assertSameGradients(MixtureObjective.elbo(ModelFixtures.MODALITIES, 2, LAMBDAS, 47), ModelFixtures.someMissing());
    }

    @Test
    void mvaeWithASequenceModalityEqualsTheReferenceModel() {
        // the text decoder is teacher-forced: its worker reads [z | x] and returns dL/dz alone
        MultimodalVae reference = ModelFixtures.sequenceModel(33, DataType.DOUBLE);
        MultimodalVae owned = reference.copy();
        Objective mvae = ElboObjective.mvae(ModelFixtures.SEQUENCE_MODALITIES, 0, new double[] {1.0, 10.0}, 48);
        Batch batch = ModelFixtures.sequenceBatch(6, 4, DataType.DOUBLE, ModelFixtures.sequencePresence());
        ReferenceModel.StepResult expected = ReferenceModel.gradients(reference, mvae, batch, 0.8);
        try (TrainingSystem system = TrainingSystem.start(owned, mvae,
                TrainingSystem.Options.local("sequence-test", DataType.DOUBLE, 3).withHooks(WorkerHooks.REPORT_GRADIENTS))) {
            StepReport got = system.step(batch, 0.8, 1).toCompletableFuture().join();
            assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()));
            for (int j = 0; j < 2; j++) {
                assertRelClose("encoder " + j, expected.encoderGrads().get(j), got.encoderGrads().get(j), 1e-9);
                assertRelClose("decoder " + j, expected.decoderGrads().get(j), got.decoderGrads().get(j), 1e-9);
            }
        }
    }

    @Test
    void modalityAbsentFromTheBatchGetsNoWorkerUpdate() {
        MultimodalVae model = ModelFixtures.model(32, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 44);
        double[][] noLabel = {{1, 0, 1}, {1, 0, 0}, {0, 0, 1}};
        try (TrainingSystem system = TrainingSystem.start(model, mvae,
                TrainingSystem.Options.local("absent-test", DataType.DOUBLE, 3).withHooks(WorkerHooks.REPORT_GRADIENTS))) {
            List<WorkerState> before = system.snapshot();
            StepReport r = system.step(ModelFixtures.batch(0, 1, DataType.DOUBLE, noLabel), 1.0, 1).toCompletableFuture().join();
            List<WorkerState> after = system.snapshot();
            assertNull(r.encoderGrads().get(1));
            assertNull(r.decoderGrads().get(1));
            assertEquals(before.get(1).params(), after.get(1).params());   // encoder[label]
            assertEquals(before.get(4).params(), after.get(4).params());   // decoder[label]
            assertTrue(!before.get(0).params().equals(after.get(0).params()));
        }
    }
}
