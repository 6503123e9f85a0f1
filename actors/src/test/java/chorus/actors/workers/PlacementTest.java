package chorus.actors.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.config.SettingsException;
import chorus.models.ModelFixtures;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** chorus.workers.&lt;modality&gt;.device on this CPU build, and the dispatchers it asks Akka for. */
class PlacementTest {

    @Test
    void everyModalityIsOnTheCpuByDefault() {
        Placement p = Placement.from(ConfigFactory.empty(), ModelFixtures.MODALITIES);
        for (int j = 0; j < 3; j++) {
            assertEquals(Placement.Device.CPU, p.device(j));
        }
    }

    @Test
    void explicitCpuIsTheCpu() {
        assertEquals(Placement.Device.CPU, place("chorus.workers.label.device = cpu").device(1));
    }

    @Test
    void cudaOnTheCpuBackendIsOneLineNamingTheKeyAndTheFix() {
        String message = error("chorus.workers.image.device = \"cuda:0\"");
        assertTrue(message.startsWith("chorus.workers.image.device = cuda:0"), message);
        assertTrue(message.contains("build with the CUDA backend"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void aDeviceOfAModalityRunOnAnotherNodeIsThatNodesToCheck() {
        Placement p = Placement.from(ConfigFactory.parseString("chorus.workers.image.device = \"cuda:0\""),
                ModelFixtures.MODALITIES, name -> !name.equals("image"));
        assertEquals(Placement.Device.CPU, p.device(0));
    }

    @Test
    void unknownModalityIsAnErrorListingTheModalities() {
        String message = error("chorus.workers.audio.device = cpu");
        assertTrue(message.contains("chorus.workers.audio") && message.contains("[image, label, features]"), message);
    }

    @Test
    void unknownDeviceIsAnErrorSayingWhatIsExpected() {
        String message = error("chorus.workers.features.device = gpu");
        assertTrue(message.contains("chorus.workers.features.device") && message.contains("cpu or cuda:N"), message);
    }

    @Test
    void misspeltKeyUnderAModalityIsAnErrorNamingIt() {
        String message = error("chorus.workers.image.devise = \"cuda:0\"");
        assertTrue(message.contains("chorus.workers.image.devise"), message);
    }

    @Test
    void modalityGivenAValueInsteadOfItsSettingsIsAnErrorNamingTheKey() {
        String message = error("chorus.workers.image = cpu");
        assertTrue(message.contains("chorus.workers.image") && message.contains("device"), message);
    }

    @Test
    void replicasDefaultToOneAndGoOnTheModalitysDevice() {
        Placement p = place("chorus.workers.image { device = cpu, replicas = 3 }");
        assertEquals(List.of(Placement.Device.CPU, Placement.Device.CPU, Placement.Device.CPU), p.replicas(0));
        assertEquals(List.of(Placement.Device.CPU), p.replicas(1));
    }

    @Test
    void devicesListOnePerReplica() {
        assertEquals(2, place("chorus.workers.label { replicas = 2, devices = [cpu, cpu] }").replicas(1).size());
    }

    @Test
    void fewerThanOneReplicaIsOneLineNamingTheKey() {
        assertOneLine(error("chorus.workers.image.replicas = 0"), "chorus.workers.image.replicas = 0", "[1, ");
    }

    @Test
    void moreReplicasThanRowsPerBatchIsOneLineNamingBothKeys() {
        assertOneLine(error("chorus.data.batch-size = 3\nchorus.workers.image.replicas = 4"),
                "chorus.workers.image.replicas = 4", "chorus.data.batch-size = 3");
    }

    @Test
    void devicesOfAnotherLengthThanReplicasIsOneLineSayingBoth() {
        assertOneLine(error("chorus.workers.image { replicas = 2, devices = [cpu, cpu, cpu] }"),
                "chorus.workers.image.devices", "one device per replica, 2", "found 3");
    }

    @Test
    void anAbsentDeviceInTheListIsOneLineNamingTheElement() {
        assertOneLine(error("chorus.workers.image { replicas = 2, devices = [cpu, \"cuda:1\"] }"),
                "chorus.workers.image.devices[1] = cuda:1", "CUDA backend");
    }

    @Test
    void deviceAndDevicesTogetherIsOneLine() {
        assertOneLine(error("chorus.workers.image { device = cpu, replicas = 2, devices = [cpu, cpu] }"),
                "chorus.workers.image.devices", "not both");
    }

    @Test
    void replicasAddThreadsToTheirDevicesPoolUpToTheCores() {
        Config d = place("chorus.workers.image.replicas = 4").dispatchers();
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.min(cores, 1 + 2 * 6), d.getInt("chorus.dispatchers.cpu.thread-pool-executor.fixed-pool-size"));
    }

    @Test
    void intraOpThreadsDefaultToOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), place("").intraOpThreads());
        assertEquals(3, place("chorus.intra-op-threads = 3").intraOpThreads());
    }

    @Test
    void negativeIntraOpThreadsIsOneLineNamingTheKey() {
        assertOneLine(error("chorus.intra-op-threads = -1"), "chorus.intra-op-threads = -1", "[0, 1024]");
    }

    @Test
    void dispatchersAlwaysIncludeTheCpuPool() {
        Config d = Placement.allCpu(3).dispatchers();
        assertEquals("Dispatcher", d.getString("chorus.dispatchers.cpu.type"));
        assertTrue(d.getInt("chorus.dispatchers.cpu.thread-pool-executor.fixed-pool-size") >= 1);
        assertEquals("chorus.dispatchers.cpu", Placement.Device.CPU.dispatcher());
    }

    private static void assertOneLine(String message, String... parts) {
        assertFalse(message.contains("\n"), message);
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' missing from: " + message);
        }
    }

    private static Placement place(String conf) {
        return Placement.from(ConfigFactory.parseString(conf), ModelFixtures.MODALITIES);
    }

    private static String error(String conf) {
        return assertThrows(SettingsException.class, () -> place(conf)).getMessage();
    }
}
