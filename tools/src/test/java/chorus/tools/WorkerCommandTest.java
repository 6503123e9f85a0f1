package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.cluster.ClusterSettings;
import chorus.data.DataSettings;
import chorus.data.Datasets;
import chorus.data.Modality;
import chorus.data.config.ChorusConfig;
import chorus.actors.cluster.WorkerNode;
import chorus.actors.workers.Placement;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.tools.run.Checkpoint;
import com.typesafe.config.ConfigFactory;
import org.nd4j.linalg.api.buffer.DataType;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chorus worker} and {@code chorus train} on a cluster of two nodes in this JVM, and their config errors. */
class WorkerCommandTest {

    @TempDir
    static Path tmp;

    private static Path experiment;

    /** The tiny model of {@link TinyRun} with the image modality on worker node "gpu". */
    @BeforeAll
    static void clusterExperiment() throws IOException {
        Map<String, String> o = TinyRun.overrides(TinyRun.fashionMnist(tmp.resolve("fashion")));
        o.put("chorus.train.eval-every", "0");
        o.put("chorus.train.checkpoint-every", "0");
        o.put("chorus.train.eval-limit", "40");
        o.put("chorus.cluster.nodes.gpu", "[image]");
        o.put("chorus.cluster.join-timeout", "30s");
        experiment = Files.writeString(tmp.resolve("cluster.conf"), o.entrySet().stream()
                .map(e -> e.getKey() + " = " + (e.getValue().startsWith("[") ? e.getValue() : "\"" + e.getValue() + "\""))
                .collect(Collectors.joining("\n")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void trainingWithTheImageOnAWorkerNodeEndsOnTheParametersOfALocalRun() throws Exception {
        int port = freePort();
        String seeds = "-Dchorus.cluster.seed-nodes=[\"127.0.0.1:" + port + "\"]";
        CompletableFuture<Integer> worker = CompletableFuture.supplyAsync(() -> Main.run("worker", experiment.toString(),
                "-Dchorus.cluster.enabled=true", "-Dchorus.cluster.role=gpu", "-Dchorus.cluster.port=0", seeds));
        Path remote = tmp.resolve("remote");
        CliRun r = CliRun.of("train", experiment.toString(), "--max-steps", "6", "--run-dir", remote.toString(),
                "-Dchorus.cluster.enabled=true", "-Dchorus.cluster.port=" + port, seeds);
        assertEquals(0, r.code(), r.err());
        assertEquals(0, worker.get(60, TimeUnit.SECONDS), "the worker node stops, cleanly, when the coordinator leaves");
        Path local = tmp.resolve("local");
        assertEquals(0, CliRun.of("train", experiment.toString(), "--max-steps", "6", "--run-dir", local.toString()).code());
        Checkpoint a = Checkpoint.read(local.resolve("checkpoints/step-6.ckpt"));
        Checkpoint b = Checkpoint.read(remote.resolve("checkpoints/step-6.ckpt"));
        for (int i = 0; i < a.networks().size(); i++) {
            assertEquals(a.networks().get(i).params(), b.networks().get(i).params(), a.networks().get(i).name());
        }
        assertTrue(Files.readString(remote.resolve("train.log")).contains("cluster: the worker nodes of [image] joined"));
    }

    /** Fault 2 of issue 16: another learning rate on the worker node is refused by both commands, naming the key. */
    @Test
    void aWorkerNodeWithAnotherLearningRateIsRefusedByBothCommandsNamingTheKey() throws Exception {
        int port = freePort();
        String seeds = "-Dchorus.cluster.seed-nodes=[\"127.0.0.1:" + port + "\"]";
        CompletableFuture<Integer> worker = CompletableFuture.supplyAsync(() -> Main.run("worker", experiment.toString(),
                "-Dchorus.cluster.enabled=true", "-Dchorus.cluster.role=gpu", "-Dchorus.cluster.port=0", seeds,
                "-Dchorus.model.learning-rate=0.02"));
        Path dir = tmp.resolve("refused-config");
        CliRun r = CliRun.of("train", experiment.toString(), "--max-steps", "2", "--run-dir", dir.toString(),
                "-Dchorus.cluster.enabled=true", "-Dchorus.cluster.port=" + port, seeds);
        assertEquals(UserErrors.USER_ERROR, r.code(), r.err());
        String line = r.err().lines().findFirst().orElse("");
        assertTrue(line.startsWith("chorus: worker node 'gpu' (hosting [image]) refuses the coordinator's config"), r.err());
        assertTrue(line.contains("chorus.model.learning-rate = 0.02 here, 0.01 on the coordinator"), line);
        assertEquals(UserErrors.USER_ERROR, worker.get(60, TimeUnit.SECONDS), "the worker node exits with the refusal");
        assertFalse(Files.exists(dir), "no run directory is left behind");
    }

    /**
     * Issue 16: the worker node is lost after the checkpoint of step 10 and none rejoins within the rejoin timeout:
     * `chorus train` stops within seconds with exit code 1 and one line naming the role, its modalities and the key,
     * and keeps its last checkpoint, readable.
     */
    @Test
    void aWorkerNodeLostPastTheRejoinTimeoutStopsTrainingWithOneLineAndItsCheckpointIntact() throws Exception {
        int port = freePort();
        String seeds = "-Dchorus.cluster.seed-nodes=[\"127.0.0.1:" + port + "\"]";
        Config c = ChorusConfig.load(experiment, Map.of("chorus.cluster.enabled", "true", "chorus.cluster.role", "gpu",
                "chorus.cluster.port", "0", "chorus.cluster.seed-nodes", "[\"127.0.0.1:" + port + "\"]"));
        List<Modality> modalities = Datasets.modalities(DataSettings.from(c));
        MultimodalVae model = ModelFactory.build(ModelSettings.from(c, modalities), modalities, DataType.FLOAT);
        ClusterSettings cluster = ClusterSettings.from(c, model.modalities());
        Path dir = tmp.resolve("lost-node");
        try (WorkerNode node = WorkerNode.start(ClusterSettings.SYSTEM_NAME, model, cluster,
                Placement.from(c, model.modalities(), cluster.runsHere()), ConfigFactory.empty())) {
            CompletableFuture.runAsync(() -> { // the node dies mid-run, after the checkpoint of step 10
                for (long until = System.nanoTime() + 120_000_000_000L; System.nanoTime() < until
                        && !Files.exists(dir.resolve("checkpoints/step-10.ckpt")); ) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                node.close();
            });
            CliRun r = CliRun.of("train", experiment.toString(), "--max-steps", "3000", "--run-dir", dir.toString(),
                    "-Dchorus.cluster.enabled=true", "-Dchorus.cluster.port=" + port, seeds,
                    "-Dchorus.train.checkpoint-every=10", "-Dchorus.cluster.rejoin-timeout=2s");
            assertEquals(1, r.code(), r.err());
            List<String> lines = r.err().lines().filter(l -> l.startsWith("chorus:")).toList(); // beside the progress bar
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.get(0).startsWith("chorus: training stopped: worker node 'gpu' (hosting [image]) at "),
                    lines.get(0));
            assertTrue(lines.get(0).contains("no worker node with role 'gpu' joined within 2 s"
                    + " (chorus.cluster.rejoin-timeout"), lines.get(0));
        }
        List<Path> kept;
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            kept = files.sorted().toList();
        }
        assertFalse(kept.isEmpty(), "the checkpoints before the loss stay");
        for (Path p : kept) {
            Checkpoint ckpt = Checkpoint.read(p); // whole: every entry's CRC checked
            assertEquals(0, ckpt.step() % 10, p.toString());
        }
    }

    @Test
    void theExampleClusterConfigPutsTheFashionMvaeImageOnNodeGpu() {
        Config c = ChorusConfig.load(Path.of("../conf/cluster-example.conf"), Map.of("chorus.cluster.role", "gpu"));
        List<Modality> modalities = Datasets.modalities(DataSettings.from(c));
        ClusterSettings s = ClusterSettings.from(c, modalities);
        assertTrue(s.enabled());
        assertEquals(List.of("image"), s.hostedHere());
        assertEquals(List.of("akka://chorus@127.0.0.1:25520"), s.seedAddresses(ClusterSettings.SYSTEM_NAME));
        assertEquals("conv", c.getString("chorus.model.modalities.image.arch")); // from the included experiment
    }

    @Test
    void aWorkerNeedsTheClusterOn() {
        CliRun.of("worker", experiment.toString()).assertUserError("chorus.cluster.enabled = false");
    }

    @Test
    void aWorkerNeedsTheRoleOfAWorkerNode() {
        CliRun.of("worker", experiment.toString(), "-Dchorus.cluster.enabled=true")
                .assertUserError("chorus.cluster.role = coordinator");
    }

    @Test
    void trainRefusesTheRoleOfAWorkerNode() {
        CliRun.of("train", experiment.toString(), "-Dchorus.cluster.enabled=true", "-Dchorus.cluster.role=gpu",
                "--run-dir", tmp.resolve("refused").toString()).assertUserError("chorus.cluster.role = gpu");
    }
}
