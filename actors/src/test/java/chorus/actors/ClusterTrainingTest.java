package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chorus.actors.cluster.ClusterException;
import chorus.actors.cluster.ClusterSettings;
import chorus.actors.cluster.SharedConfig;
import chorus.actors.cluster.WorkerNode;
import chorus.actors.coordinator.Combiner;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/**
 * Two actor systems in this JVM joined over Artery TCP on 127.0.0.1 (ephemeral ports): a worker node hosting
 * the image modality's encoder and decoder, and the coordinator running the rest. Every worker message of
 * the image modality crosses the wire through the serializer.
 */
class ClusterTrainingTest {

    private static final String SYSTEM = "chorus-cluster-test";

    /** The config the nodes of these tests agree on (a worker node compares it, not the networks it built). */
    private static final SharedConfig SHARED = SharedConfig.of(ConfigFactory.parseString(
            "chorus.model { latent = 2, learning-rate = 1e-3, seed = 71 }"));

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** The image modality on worker node "gpu"; this node plays {@code role}. */
    private static ClusterSettings cluster(String role, List<String> seeds, Duration joinTimeout) {
        return new ClusterSettings(true, role, "127.0.0.1", 0, seeds, ClusterSettings.Transport.TCP, 64L << 20, joinTimeout, Duration.ZERO,
                Map.of("gpu", List.of("image")), SHARED);
    }

    private static TrainingSystem.Options coordinator(List<String> seeds, Duration joinTimeout) {
        return TrainingSystem.Options.local(SYSTEM, DataType.DOUBLE, 3)
                .withCluster(cluster(ClusterSettings.COORDINATOR, seeds, joinTimeout));
    }

    /** A worker node hosting the image modality, built fresh from the shared seed; its address once it is up. */
    private static WorkerNode imageNode(DataType dtype) {
        return imageNode(dtype, SHARED);
    }

    private static WorkerNode imageNode(DataType dtype, SharedConfig shared) {
        return WorkerNode.start(SYSTEM, ModelFixtures.model(71, dtype),
                cluster("gpu", List.of(), Duration.ofSeconds(30)).withShared(shared), Placement.allCpu(3),
                ConfigFactory.empty());
    }

    private static String hostPort(WorkerNode node) throws Exception {
        Address at = node.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return at.host().get() + ":" + at.port().get();
    }

    /**
     * A resumed run: the coordinator's model has trained a step (parameters and Adam state no longer the
     * seed's), the worker node starts fresh from the seed, and the coordinator loads its state into it.
     */
    @Test
    void threeStepsWithTheImageWorkersOnAnotherNodeEqualTheLocalRunAndTheReferenceModel() throws Exception {
        MultimodalVae reference = ModelFixtures.model(71, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, ActorFixtures.LAMBDAS, 72);
        ReferenceModel.train(reference, mvae, ModelFixtures.batch(0, 79, DataType.DOUBLE, ModelFixtures.allObserved()), 0.5, 0, 0);
        try (WorkerNode node = imageNode(DataType.DOUBLE)) {
            String seed = hostPort(node);
            try (TrainingSystem cluster = TrainingSystem.start(reference.copy(), mvae, coordinator(List.of(seed), Duration.ofSeconds(30)));
                 TrainingSystem local = TrainingSystem.start(reference.copy(), mvae, TrainingSystem.Options.local("local", DataType.DOUBLE, 3))) {
                assertEquals(node.address(), cluster.encoders().get(0).path().address(), "encoder[image] runs on the worker node");
                assertTrue(cluster.encoders().get(1).path().address().hasLocalScope(), "encoder[label] runs here");
                for (int step = 1; step <= 3; step++) {
                    Batch batch = ModelFixtures.batch(step, 80 + step, DataType.DOUBLE,
                            step == 1 ? ModelFixtures.someMissing() : ModelFixtures.allObserved());
                    ReferenceModel.train(reference, mvae, batch, 0.5, step, 0);
                    cluster.step(batch, 0.5, step).toCompletableFuture().get(60, TimeUnit.SECONDS);
                    local.step(batch, 0.5, step).toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
                List<WorkerState> there = cluster.snapshot();
                List<WorkerState> here = local.snapshot();
                for (int j = 0; j < 3; j++) {
                    assertClose("encoder " + j, here.get(j).params(), there.get(j).params());
                    assertClose("decoder " + j, here.get(3 + j).params(), there.get(3 + j).params());
                    assertClose("encoder " + j + " vs reference", reference.encoders().get(j).params(), there.get(j).params());
                    assertClose("decoder " + j + " vs reference", reference.decoders().get(j).params(), there.get(3 + j).params());
                }
                assertClose("Adam state of decoder[image]", here.get(3).updaterState(), there.get(3).updaterState());
            }
        }
    }

    @Test
    void aCoordinatorWithoutWorkerNodesStartsTheClusterAndRunsEveryModality() throws Exception {
        MultimodalVae reference = ModelFixtures.model(77, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, ActorFixtures.LAMBDAS, 78);
        Batch batch = ModelFixtures.batch(0, 83, DataType.DOUBLE, ModelFixtures.allObserved());
        ClusterSettings alone = new ClusterSettings(true, ClusterSettings.COORDINATOR, "127.0.0.1", 0, List.of(),
                ClusterSettings.Transport.TCP, 64L << 20, Duration.ofSeconds(30), Duration.ZERO, Map.of(), SHARED);
        try (TrainingSystem system = TrainingSystem.start(reference.copy(), mvae,
                TrainingSystem.Options.local(SYSTEM, DataType.DOUBLE, 3).withCluster(alone))) {
            StepReport got = system.step(batch, 1.0, 0).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(ReferenceModel.train(reference, mvae, batch, 1.0, 0, 0).loss(), got.loss(), 1e-9);
        }
    }

    @Test
    void aModalityNoWorkerNodeHostsIsATimeoutErrorNamingItAndTheSeedNodes() {
        MultimodalVae model = ModelFixtures.model(73, DataType.DOUBLE);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, ActorFixtures.LAMBDAS, 74);
        ClusterException e = assertThrows(ClusterException.class,
                () -> TrainingSystem.start(model, mvae, coordinator(List.of("127.0.0.1:1"), Duration.ofSeconds(2))));
        assertTrue(e.getMessage().contains("image (encoder, decoder)"), e.getMessage());
        assertTrue(e.getMessage().contains("akka://" + SYSTEM + "@127.0.0.1:1"), e.getMessage());
        assertTrue(e.getMessage().contains("chorus.cluster.join-timeout"), e.getMessage());
    }

    /**
     * The node leaves between steps, as it does when a run ends: the log does not call that a failure (no step
     * needed it), and the next step fails naming the node by role and modalities instead of hanging.
     */
    @Test
    void aWorkerNodeThatLeavesBetweenStepsFailsTheNextStepNamingItsRoleAndModalities() throws Exception {
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, ActorFixtures.LAMBDAS, 76);
        Batch batch = ModelFixtures.batch(0, 81, DataType.DOUBLE, ModelFixtures.allObserved());
        WorkerNode node = imageNode(DataType.DOUBLE);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger combinerLog = (Logger) LoggerFactory.getLogger(Combiner.class);
        combinerLog.addAppender(log);
        try (TrainingSystem cluster = TrainingSystem.start(ModelFixtures.model(71, DataType.DOUBLE), mvae,
                coordinator(List.of(hostPort(node)), Duration.ofSeconds(30)))) {
            cluster.step(batch, 1.0, 0).toCompletableFuture().get(60, TimeUnit.SECONDS);
            String address = node.address().toString();
            node.close();
            for (long until = System.nanoTime() + 30_000_000_000L; log.list.isEmpty() && System.nanoTime() < until; ) {
                Thread.sleep(50); // until the combiner has seen the node go
            }
            var failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> cluster.step(ModelFixtures.batch(1, 82, DataType.DOUBLE, ModelFixtures.allObserved()), 1.0, 1)
                            .toCompletableFuture().get(60, TimeUnit.SECONDS));
            String message = failed.getCause().getMessage();
            assertTrue(message.contains("worker node 'gpu' (hosting [image]) at " + address + " is gone"), message);
        } finally {
            combinerLog.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(lines.stream().noneMatch(l -> l.contains("resume from the last checkpoint")), lines.toString());
    }

    @Test
    void aWorkerNodeWhoseNetworkDiffersIsAnErrorNamingTheWorkerAndTheDifference() throws Exception {
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, ActorFixtures.LAMBDAS, 75);
        try (WorkerNode node = imageNode(DataType.FLOAT)) {
            String seed = hostPort(node);
            ClusterException e = assertThrows(ClusterException.class, () -> TrainingSystem.start(
                    ModelFixtures.model(71, DataType.DOUBLE), mvae, coordinator(List.of(seed), Duration.ofSeconds(30))));
            assertTrue(e.getMessage().contains("encoder[0] worker of modality 'image' on " + node.address()), e.getMessage());
            assertTrue(e.getMessage().contains("this network is FLOAT"), e.getMessage());
        }
    }

    /**
     * Fault 2 of issue 16: a worker node started with another learning rate has networks of the same shape, so
     * only the config comparison stops it; both sides name the node and the key with both values, in one line.
     */
    @Test
    void aWorkerNodeWithAnotherLearningRateRefusesTheCoordinatorNamingTheKeyAndBothValues() throws Exception {
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, ActorFixtures.LAMBDAS, 75);
        SharedConfig other = SharedConfig.of(ConfigFactory.parseString(
                "chorus.model { latent = 2, learning-rate = 0.01, seed = 71 }"));
        try (WorkerNode node = imageNode(DataType.DOUBLE, other)) {
            String seed = hostPort(node);
            ClusterException e = assertThrows(ClusterException.class, () -> TrainingSystem.start(
                    ModelFixtures.model(71, DataType.DOUBLE), mvae, coordinator(List.of(seed), Duration.ofSeconds(30))));
            String line = e.getMessage();
            assertTrue(line.startsWith("worker node 'gpu' (hosting [image]) refuses the coordinator's config"), line);
            assertTrue(line.contains("chorus.model.learning-rate = 0.01 here, 0.001 on the coordinator"), line);
            assertTrue(line.contains(other.digest()) && line.contains(SHARED.digest()), line);
            assertFalse(line.contains("\n") || line.contains("chorus.model.seed"), line);
            assertEquals(line, node.refused().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-10, what + ": max difference " + diff);
    }
}
