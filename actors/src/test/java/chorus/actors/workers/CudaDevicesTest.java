package chorus.actors.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which compute capabilities nd4j-cuda-11.6 1.0.0-M2.1's cubins (sm_37, sm_50 to sm_86, no PTX) run on. */
class CudaDevicesTest {

    private static final String SETTING = "chorus.workers.image.device = cuda:0 (test.conf: 3)";

    private static Optional<String> refusal(String gpu, int major, int minor) {
        return CudaDevices.refusal(SETTING, gpu, major, minor);
    }

    @Test
    void keplerK40At35IsRefusedForTheK80KernelDoesNotRunOnIt() {
        assertTrue(refusal("Tesla K40m", 3, 5).isPresent());
    }

    @Test
    void k80At37Runs() {
        assertEquals(Optional.empty(), refusal("Tesla K80", 3, 7));
    }

    @Test
    void turingAt75Runs() {
        assertEquals(Optional.empty(), refusal("Tesla T4", 7, 5));
    }

    @Test
    void ampereAt86Runs() {
        assertEquals(Optional.empty(), refusal("NVIDIA GeForce RTX 3090", 8, 6));
    }

    @Test
    void adaAt89RunsTheSm86Cubins() {
        assertEquals(Optional.empty(), refusal("NVIDIA L4", 8, 9)); // same major, minor 9 >= 6: binary compatible
    }

    @Test
    void hopperAt90IsOneLineNamingTheKeyTheGpuItsCapabilityAndTheRange() {
        String line = refusal("NVIDIA H100 80GB HBM3", 9, 0).orElseThrow();
        assertTrue(line.startsWith(SETTING + ": NVIDIA H100 80GB HBM3 has compute capability 9.0;"), line);
        assertTrue(line.contains("nd4j-cuda-11.6 1.0.0-M2.1") && line.contains("3.7 to 8.9"), line);
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void blackwellAt120IsRefused() {
        assertTrue(refusal("NVIDIA GeForce RTX 5090", 12, 0).isPresent());
    }

    @Test
    void aGpuReadAsHopperIsRefused() {
        CudaDevices gpus = new CudaDevices(i -> new CudaDevices.Gpu("NVIDIA H100", 9, 0));
        assertTrue(gpus.refusal(SETTING, 0).orElseThrow().contains("NVIDIA H100 has compute capability 9.0"));
    }

    @Test
    void aGpuThatCannotBeReadIsLetThroughAndReadOnce() {
        AtomicInteger reads = new AtomicInteger();
        CudaDevices gpus = new CudaDevices(i -> {
            reads.incrementAndGet();
            throw new IllegalStateException("no driver");
        });
        assertEquals(Optional.empty(), gpus.refusal(SETTING, 1));
        assertEquals(Optional.empty(), gpus.refusal(SETTING, 1));
        assertEquals(1, reads.get());
    }

    @Test
    void aCapabilityOfZeroCountsAsUnread() {
        assertEquals(Optional.empty(), new CudaDevices(i -> new CudaDevices.Gpu("?", 0, 0)).refusal(SETTING, 0));
    }
}
