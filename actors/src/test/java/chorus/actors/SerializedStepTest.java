package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.FaultInjection;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.mmvae.MixtureObjective;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * With Akka's {@code serialize-messages} on, every message sent to an actor goes through its serializer
 * and the receiver gets the deserialized copy: a whole step through {@link TrainingSystem} still equals the
 * reference model, so every worker message has a binding and survives the wire unchanged.
 */
class SerializedStepTest {

    private static final Config SERIALIZE_ALL = ConfigFactory.parseString("akka.actor.serialize-messages = on");

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static void assertStepEqualsReference(Objective objective, FaultInjection faults) {
        assertStepEqualsReference(objective, faults, Placement.allCpu(3));
    }

    private static void assertStepEqualsReference(Objective objective, FaultInjection faults, Placement placement) {
        MultimodalVae reference = ModelFixtures.model(61, DataType.DOUBLE);
        TrainingSystem.Options o = TrainingSystem.Options.local("serialized", DataType.DOUBLE, 3).withHooks(WorkerHooks.faults(faults))
                .withAkka(SERIALIZE_ALL).withPlacement(placement);
        Batch batch = ModelFixtures.batch(0, 5, DataType.DOUBLE, ModelFixtures.someMissing());
        try (TrainingSystem system = TrainingSystem.start(reference.copy(), objective, o)) {
            StepReport got = system.step(batch, 0.6, 0).toCompletableFuture().join();
            ReferenceModel.StepResult expected = ReferenceModel.train(reference, objective, batch, 0.6, 0, 0);
            assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()));
            List<WorkerState> states = system.snapshot();
            for (int j = 0; j < 3; j++) {
                SyncEquivalenceTest.assertRelClose("encoder " + j, reference.encoders().get(j).params(), states.get(j).params(), 1e-9);
                SyncEquivalenceTest.assertRelClose("decoder " + j, reference.decoders().get(j).params(), states.get(3 + j).params(), 1e-9);
            }
        }
    }

    @Test
    void mvaeStepWithEveryMessageSerializedEqualsTheReferenceModel() {
        assertStepEqualsReference(ElboObjective.mvae(ModelFixtures.MODALITIES, 1, ActorFixtures.LAMBDAS, 62), FaultInjection.NONE);
    }

    @Test
    void twoPhaseIwaeStepWithEveryMessageSerializedEqualsTheReferenceModel() {
        assertStepEqualsReference(MixtureObjective.iwae(ModelFixtures.MODALITIES, 2, ActorFixtures.LAMBDAS, 63), FaultInjection.NONE);
    }

    @Test
    void stepThroughReplicasWithEveryMessageSerializedEqualsTheReferenceModel() {
        Placement twice = Placement.from(ConfigFactory.parseString("chorus.workers { image.replicas = 2, label.replicas = 2 }"),
                ModelFixtures.MODALITIES);
        assertStepEqualsReference(MixtureObjective.iwae(ModelFixtures.MODALITIES, 2, ActorFixtures.LAMBDAS, 65),
                FaultInjection.once(WorkerId.encoder(0).replica(1), "backward", 0), twice);
    }

    @Test
    void retriedStepWithEveryMessageSerializedEqualsTheReferenceModel() {
        assertStepEqualsReference(ElboObjective.mvae(ModelFixtures.MODALITIES, 1, ActorFixtures.LAMBDAS, 64),
                FaultInjection.once(WorkerId.decoder(0), "forward", 0));
    }
}
