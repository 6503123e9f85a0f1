package chorus.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.config.SettingsException;
import chorus.models.ModelFixtures;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** chorus.cluster: the defaults, the nodes map, errors that name the key, and the Akka settings it becomes. */
class ClusterSettingsTest {

    private static final String GPU_NODE = "chorus.cluster { enabled = true, nodes { gpu = [image] } }\n";

    private static ClusterSettings read(String conf) {
        Config c = ConfigFactory.parseString(conf).withFallback(ConfigFactory.defaultReference()).resolve();
        return ClusterSettings.from(c, ModelFixtures.MODALITIES);
    }

    private static String error(String conf) {
        String message = assertThrows(SettingsException.class, () -> read(conf)).getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void theDefaultsKeepEverythingInThisJvm() {
        ClusterSettings s = read("");
        assertFalse(s.enabled());
        assertEquals(ClusterSettings.Transport.TCP, s.transport());
        assertEquals(Set.of(), s.remoteModalities());
        assertEquals("local", ClusterNode.akka(s).getString("akka.actor.provider"));
    }

    @Test
    void nodesNameTheModalitiesThatRunRemotely() {
        ClusterSettings s = read(GPU_NODE + "chorus.cluster { seed-nodes = [\"10.0.0.1:2552\"], join-timeout = 5s }");
        assertEquals(Set.of("image"), s.remoteModalities());
        assertEquals(List.of("akka://chorus@10.0.0.1:2552"), s.seedAddresses("chorus"));
        assertEquals(Duration.ofSeconds(5), s.joinTimeout());
        assertEquals(List.of("image"), s.withRole("gpu").hostedHere());
    }

    @Test
    void aLostWorkerNodeIsWaitedForAMinuteByDefaultAndZeroStopsAtOnce() {
        assertEquals(Duration.ofSeconds(60), read(GPU_NODE).rejoinTimeout());
        assertTrue(read(GPU_NODE).elastic());
        ClusterSettings stopAtOnce = read(GPU_NODE + "chorus.cluster.rejoin-timeout = 0");
        assertEquals(Duration.ZERO, stopAtOnce.rejoinTimeout());
        assertFalse(stopAtOnce.elastic());
        assertFalse(read("chorus.cluster.enabled = true").elastic(), "no worker node: nothing to wait for");
    }

    @Test
    void aNegativeOrNonDurationRejoinTimeoutIsAnErrorNamingTheKey() {
        String negative = error("chorus.cluster.rejoin-timeout = -5s");
        assertTrue(negative.startsWith("chorus.cluster.rejoin-timeout") && negative.contains("or 0 to stop"), negative);
        assertTrue(error("chorus.cluster.rejoin-timeout = soon").startsWith("chorus.cluster.rejoin-timeout"));
    }

    @Test
    void aDisabledClusterRunsNoModalityRemotely() {
        assertEquals(Set.of(), read("chorus.cluster.nodes { gpu = [image] }").remoteModalities());
    }

    @Test
    void theAkkaSettingsCarryTransportAddressFrameSizeAndRole() {
        Config akka = ClusterNode.akka(read(GPU_NODE + "chorus.cluster { transport = aeron-udp, hostname = \"10.0.0.7\","
                + " port = 2600, max-message-size = 8MiB, role = gpu }"));
        assertEquals("cluster", akka.getString("akka.actor.provider"));
        assertEquals("aeron-udp", akka.getString("akka.remote.artery.transport"));
        assertEquals("10.0.0.7", akka.getString("akka.remote.artery.canonical.hostname"));
        assertEquals(2600, akka.getInt("akka.remote.artery.canonical.port"));
        assertEquals(8L << 20, akka.getBytes("akka.remote.artery.advanced.maximum-frame-size"));
        assertEquals(List.of("gpu"), akka.getStringList("akka.cluster.roles"));
    }

    @Test
    void aModalityTheDatasetLacksIsAnErrorNamingTheKey() {
        String message = error("chorus.cluster.nodes { gpu = [audio] }");
        assertTrue(message.startsWith("chorus.cluster.nodes.gpu") && message.contains("no 'audio'"), message);
    }

    @Test
    void aModalityOnTwoNodesIsAnErrorNamingBoth() {
        String message = error("chorus.cluster.nodes { a = [image], b = [label, image] }");
        assertTrue(message.contains("chorus.cluster.nodes.b") && message.contains("chorus.cluster.nodes.a"), message);
    }

    @Test
    void aRoleThatIsNeitherCoordinatorNorANodeIsAnErrorListingTheNodes() {
        String message = error(GPU_NODE + "chorus.cluster.role = gpu-b");
        assertTrue(message.startsWith("chorus.cluster.role = 'gpu-b'") && message.contains("[gpu]"), message);
    }

    @Test
    void aSeedThatIsNotHostColonPortIsAnErrorNamingTheKey() {
        String message = error("chorus.cluster.seed-nodes = [\"akka://chorus@10.0.0.1\"]");
        assertTrue(message.startsWith("chorus.cluster.seed-nodes") && message.contains("host:port"), message);
    }

    @Test
    void badTransportPortSizeAndTimeoutAreErrorsNamingTheirKeys() {
        assertTrue(error("chorus.cluster.transport = udp").contains("tcp, aeron-udp"));
        assertTrue(error("chorus.cluster.port = 70000").startsWith("chorus.cluster.port"));
        assertTrue(error("chorus.cluster.max-message-size = 1KiB").startsWith("chorus.cluster.max-message-size"));
        assertTrue(error("chorus.cluster.join-timeout = 0s").startsWith("chorus.cluster.join-timeout"));
        assertTrue(error("chorus.cluster.nodes { gpu = [] }").startsWith("chorus.cluster.nodes.gpu"));
    }
}
