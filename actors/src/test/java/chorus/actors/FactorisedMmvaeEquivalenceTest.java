package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.joint.JointFixtures;
import chorus.models.objective.Objective;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The factorised MMVAE (the notes' {@code m_infoNCE_naive}) runs through the actors unchanged: its unimodal VAEs
 * are workers named {@code <modality>-uni}, and a synchronous step gives the reference model's loss, terms and
 * gradients in double, with and without missing modalities, with every message serialized and a unimodal VAE on
 * two replicas.
 */
class FactorisedMmvaeEquivalenceTest {

    private static final double[][] SOME_MISSING = {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 0}, {0, 0, 1}};
    private static final double[][] ALL = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void oneStepGivesTheReferenceModelsGradients() {
        ModelSettings s = JointFixtures.settings(Combination.FUMMVAE, 0, 21);
        MultimodalVae reference = JointFixtures.model(s);
        Objective objective = JointFixtures.objective(s);
        Batch batch = JointFixtures.batch(s, 2, SOME_MISSING);
        ReferenceModel.StepResult expected = ReferenceModel.gradients(reference, objective, batch, 0.8);
        int n = reference.modalities().size();
        try (TrainingSystem system = TrainingSystem.start(reference.copy(), objective,
                TrainingSystem.Options.local("fummvae", DataType.DOUBLE, n).withHooks(WorkerHooks.REPORT_GRADIENTS))) {
            StepReport got = system.step(batch, 0.8, 1).toCompletableFuture().join();
            assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()));
            for (int j = 0; j < n; j++) {
                SyncEquivalenceTest.assertRelClose("encoder " + j, expected.encoderGrads().get(j), got.encoderGrads().get(j), 1e-9);
                SyncEquivalenceTest.assertRelClose("decoder " + j, expected.decoderGrads().get(j), got.decoderGrads().get(j), 1e-9);
            }
        }
    }

    @Test
    void trainsLikeTheReferenceModelWithSerializedMessagesAndAReplicatedUnimodalVae() {
        ModelSettings s = JointFixtures.settings(Combination.FUMMVAE, 0, 22);
        MultimodalVae reference = JointFixtures.model(s);
        Objective objective = JointFixtures.objective(s);
        int n = reference.modalities().size();
        Placement placement = Placement.from(ConfigFactory.parseString("chorus.workers.image-uni.replicas = 2"),
                reference.modalities());
        try (TrainingSystem system = TrainingSystem.start(reference.copy(), objective,
                TrainingSystem.Options.local("fummvae", DataType.DOUBLE, n).withPlacement(placement)
                        .withAkka(ConfigFactory.parseString("akka.actor.serialize-messages = on")))) {
            List<double[][]> masks = List.of(SOME_MISSING, ALL, SOME_MISSING);
            for (int step = 0; step < masks.size(); step++) {
                Batch batch = JointFixtures.batch(s, step, masks.get(step));
                double beta = 0.5 + 0.1 * step;
                ReferenceModel.StepResult expected = ReferenceModel.train(reference, objective, batch, beta, step, 0);
                StepReport got = system.step(batch, beta, step).toCompletableFuture().join();
                assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()), "loss at step " + step);
                for (int i = 0; i < expected.terms().size(); i++) {
                    assertEquals(expected.terms().get(i).name(), got.terms().get(i).name());
                    assertEquals(expected.terms().get(i).value(), got.terms().get(i).value(), 1e-9, expected.terms().get(i).name());
                }
            }
            List<WorkerState> states = system.snapshot();
            for (int j = 0; j < n; j++) {
                SyncEquivalenceTest.assertRelClose("encoder " + j, reference.encoders().get(j).params(), states.get(j).params(), 1e-9);
                SyncEquivalenceTest.assertRelClose("decoder " + j, reference.decoders().get(j).params(), states.get(n + j).params(), 1e-9);
            }
        }
    }
}
