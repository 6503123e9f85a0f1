package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.joint.JointFixtures;
import chorus.models.mfm.MfmFixtures;
import chorus.models.objective.Objective;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The joint encoder is a worker like any other (the model's modality {@code joint}): synchronous training
 * of JMVAE, TELBO, MuMo-VAE, MFM and MMPoE through the actors equals the reference model step for step, in double, with
 * and without missing modalities, including a batch with no complete row (no joint expert at all) and with the
 * joint encoder on workers of its own placement (two replicas).
 */
class JointEncoderEquivalenceTest {

    private static final double[][] SOME_MISSING = {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 0}, {0, 0, 1}};
    private static final double[][] ALL = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
    private static final double[][] NONE_COMPLETE = {{1, 0, 1}, {0, 1, 1}, {1, 1, 0}};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void jmvaeTrainsLikeTheReferenceModel() {
        trainAndCompare(JointFixtures.settings(Combination.JMVAE, 0, 11), "");
    }

    @Test
    void mumoTrainsLikeTheReferenceModel() {
        trainAndCompare(JointFixtures.settings(Combination.MUMO, 1, 12), "");
    }

    @Test
    void mumoWithTheJointEncoderOnTwoReplicasTrainsLikeTheReferenceModel() {
        trainAndCompare(JointFixtures.settings(Combination.MUMO, 1, 13), "chorus.workers.joint.replicas = 2");
    }

    /** The held decoder rows of TELBO's single terms survive the wire and the split of a request over replicas. */
    @Test
    void telboWithEveryMessageSerializedAndImageReplicasTrainsLikeTheReferenceModel() {
        trainAndCompare(JointFixtures.settings(Combination.TELBO, 0, 15), "chorus.workers.image.replicas = 2",
                "akka.actor.serialize-messages = on");
    }

    /** MFM: the multimodal encoder leaves out the label; MMD and surrogate terms cross no actor boundary but the experts'. */
    @Test
    void mfmTrainsLikeTheReferenceModel() {
        trainAndCompare(MfmFixtures.settings("label", 16), "");
    }

    @Test
    void mfmWithoutALabelWithEveryMessageSerializedAndTheJointEncoderOnTwoReplicasTrainsLikeTheReferenceModel() {
        trainAndCompare(MfmFixtures.settings("", 17), "chorus.workers.joint.replicas = 2", "akka.actor.serialize-messages = on");
    }

    @Test
    void mmpoeV1TrainsLikeTheReferenceModel() {
        trainAndCompare(JointFixtures.settings(Combination.MMPOE_V1, 1, 14), "");
    }

    private static void trainAndCompare(ModelSettings s, String workers) {
        trainAndCompare(s, workers, "");
    }

    private static void trainAndCompare(ModelSettings s, String workers, String akka) {
        MultimodalVae reference = JointFixtures.model(s);
        Objective objective = JointFixtures.objective(s);
        int n = reference.modalities().size();
        Placement placement = Placement.from(ConfigFactory.parseString(workers), reference.modalities());
        try (TrainingSystem system = TrainingSystem.start(reference.copy(), objective,
                TrainingSystem.Options.local("joint", DataType.DOUBLE, n).withPlacement(placement)
                        .withAkka(ConfigFactory.parseString(akka)))) {
            List<double[][]> masks = List.of(SOME_MISSING, ALL, NONE_COMPLETE, SOME_MISSING);
            for (int step = 0; step < masks.size(); step++) {
                Batch batch = JointFixtures.batch(s, step, masks.get(step));
                double beta = 0.5 + 0.1 * step;
                ReferenceModel.StepResult expected = ReferenceModel.train(reference, objective, batch, beta, step, 0);
                StepReport got = system.step(batch, beta, step).toCompletableFuture().join();
                assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()), "loss at step " + step);
                assertEquals(expected.terms().size(), got.terms().size(), "terms at step " + step);
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
