package chorus.actors;

import static chorus.actors.SyncEquivalenceTest.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.AskPattern;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.FaultInjection;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.mmvae.MixtureObjective;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * With {@code chorus.workers.<m>.replicas = 2} the synchronous pipeline still trains to the reference model's
 * parameters in double precision (rows split across replicas, their gradients summed), the replicas of a
 * worker hold the same bits after every commit, and a failing replica's step is retried to the same end.
 */
class ReplicaEquivalenceTest {

    private static final double[] LAMBDAS = {1.0, 2.0, 0.5};
    private static final String IMAGE_TWICE = "chorus.workers.image.replicas = 2";
    private static final String IMAGE_AND_LABEL_TWICE = IMAGE_TWICE + "\nchorus.workers.label.replicas = 2";

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void mvaeWithTwoImageReplicasTrainsToTheReferenceParameters() {
        trainAndCompare(ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 71), IMAGE_TWICE, FaultInjection.NONE);
    }

    @Test
    void mvaeWithTwoReplicasOfImageAndLabelTrainsToTheReferenceParameters() {
        trainAndCompare(ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 72), IMAGE_AND_LABEL_TWICE, FaultInjection.NONE);
    }

    @Test
    void mopoeWithTwoReplicasOfImageAndLabelTrainsToTheReferenceParameters() {
        trainAndCompare(ElboObjective.mopoe(ModelFixtures.MODALITIES, false, LAMBDAS, 73), IMAGE_AND_LABEL_TWICE,
                FaultInjection.NONE);
    }

    @Test
    void twoPhaseMoeIwaeWithTwoImageReplicasTrainsToTheReferenceParameters() {
        trainAndCompare(MixtureObjective.iwae(ModelFixtures.MODALITIES, 2, LAMBDAS, 74), IMAGE_TWICE, FaultInjection.NONE);
    }

    @Test
    void moeElboWithTwoReplicasOfImageAndLabelTrainsToTheReferenceParameters() {
        trainAndCompare(MixtureObjective.elbo(ModelFixtures.MODALITIES, 1, LAMBDAS, 75), IMAGE_AND_LABEL_TWICE,
                FaultInjection.NONE);
    }

    @Test
    void aReplicaFailingInItsBackwardIsRetriedAndTrainingEndsOnTheReferenceParameters() {
        List<Integer> attempts = trainAndCompare(ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 76), IMAGE_TWICE,
                FaultInjection.once(WorkerId.encoder(0).replica(1), "backward", 2));
        assertEquals(List.of(1, 1, 2, 1), attempts);
    }

    @Test
    void aDecoderReplicaFailingInItsForwardIsRetriedAndTrainingEndsOnTheReferenceParameters() {
        List<Integer> attempts = trainAndCompare(MixtureObjective.iwae(ModelFixtures.MODALITIES, 2, LAMBDAS, 77),
                IMAGE_AND_LABEL_TWICE, FaultInjection.once(WorkerId.decoder(1).replica(1), "forward", 1));
        assertEquals(List.of(1, 2, 1, 1), attempts);
    }

    /** Issue 16, fault 7a: replica 1 undoes its update; only it applies the step again, so the replicas stay equal. */
    @Test
    void aReplicaWhoseUpdateFailsAppliesItAgainAndTrainingEndsOnTheReferenceParameters() {
        List<Integer> attempts = trainAndCompare(ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 79), IMAGE_TWICE,
                FaultInjection.once(WorkerId.decoder(0).replica(1), "update", 1));
        assertEquals(List.of(1, 2, 1, 1), attempts);
    }

    @Test
    void snapshotOfAReplicatedWorkerIsItsFirstReplicas() {
        MultimodalVae model = ModelFixtures.model(78, DataType.DOUBLE);
        List<WorkerState> before;
        try (TrainingSystem system = start(model.copy(), ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 78),
                IMAGE_TWICE, FaultInjection.NONE)) {
            before = system.snapshot();
            assertEquals(WorkerId.encoder(0), before.get(0).worker());
            assertEquals(WorkerId.decoder(0), before.get(3).worker());
        }
        assertEquals(model.encoders().get(0).params(), before.get(0).params());
    }

    /**
     * Four double steps (missing modalities in two) through replicas configured by {@code workers}, each equal to
     * the reference step's loss; after each, every replicated worker's replicas hold identical parameters and
     * optimizer state; at the end every worker equals the reference model. Returns each step's attempts.
     */
    private static List<Integer> trainAndCompare(Objective objective, String workers, FaultInjection faults) {
        MultimodalVae reference = ModelFixtures.model(70, DataType.DOUBLE);
        List<String> replicated = ConfigFactory.parseString(workers).getConfig("chorus.workers").root().keySet().stream()
                .sorted().toList();
        List<Integer> attempts = new java.util.ArrayList<>();
        try (TrainingSystem system = start(reference.copy(), objective, workers, faults)) {
            for (int step = 0; step < 4; step++) {
                double[][] presence = step % 2 == 0 ? ModelFixtures.someMissing() : ModelFixtures.allObserved();
                Batch batch = ModelFixtures.batch(step, 90 + step, DataType.DOUBLE, presence);
                double beta = 0.5 + 0.1 * step;
                ReferenceModel.StepResult expected = ReferenceModel.train(reference, objective, batch, beta, step, 0);
                StepReport got = system.step(batch, beta, step).toCompletableFuture().join();
                assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()), "loss at step " + step);
                attempts.add(got.attempts());
                for (String m : replicated) {
                    assertReplicasIdentical(system, "encoder-" + m);
                    assertReplicasIdentical(system, "decoder-" + m);
                }
            }
            List<WorkerState> states = system.snapshot();
            for (int j = 0; j < 3; j++) {
                assertRelClose("encoder " + j, reference.encoders().get(j).params(), states.get(j).params(), 1e-9);
                assertRelClose("decoder " + j, reference.decoders().get(j).params(), states.get(3 + j).params(), 1e-9);
            }
        }
        return attempts;
    }

    private static TrainingSystem start(MultimodalVae model, Objective objective, String workers, FaultInjection faults) {
        Placement placement = Placement.from(ConfigFactory.parseString(workers), ModelFixtures.MODALITIES);
        return TrainingSystem.start(model, objective, TrainingSystem.Options.local("replicas", DataType.DOUBLE, 3)
                .withPlacement(placement).withHooks(WorkerHooks.faults(faults)).withMaxRetries(1));
    }

    /** Replica 1 of the worker named {@code worker} holds exactly replica 0's parameters and Adam state (bit for bit). */
    private static void assertReplicasIdentical(TrainingSystem system, String worker) {
        WorkerState first = replicaState(system, worker, 0);
        WorkerState second = replicaState(system, worker, 1);
        assertArrayEquals(first.params().data().asDouble(), second.params().data().asDouble(),
                worker + ": replica parameters differ");
        assertArrayEquals(first.updaterState().data().asDouble(), second.updaterState().data().asDouble(),
                worker + ": replica optimizer states differ");
    }

    private static WorkerState replicaState(TrainingSystem system, String worker, int replica) {
        var classic = Adapter.toClassic(system.actorSystem());
        ActorRef<WorkerProtocol.Snapshot> ref = Adapter.toTyped(classic.actorSelection("/user/" + worker + "/replica-"
                + replica).resolveOne(Duration.ofSeconds(30)).toCompletableFuture().join());
        return AskPattern.ask(ref, WorkerProtocol.Snapshot::new, Duration.ofSeconds(30), system.actorSystem().scheduler())
                .toCompletableFuture().join();
    }
}
