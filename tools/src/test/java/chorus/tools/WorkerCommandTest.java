package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.cluster.ClusterSettings;
import chorus.data.DataSettings;
import chorus.data.Datasets;
import chorus.data.Modality;
import chorus.data.config.ChorusConfig;
import chorus.tools.run.Checkpoint;
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
