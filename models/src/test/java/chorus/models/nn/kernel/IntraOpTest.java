package chorus.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class IntraOpTest {

    @Test
    void chunksCoverEveryRowOnceInContiguousRanges() {
        try (IntraOp par = IntraOp.of(3, 0)) {
            long[] owner = new long[7];
            par.forEach(7, Long.MAX_VALUE, (c, from, to) -> {
                for (long r = from; r < to; r++) {
                    owner[(int) r] = c;
                }
            });
            assertArrayEquals(new long[] {0, 0, 1, 1, 2, 2, 2}, owner);
        }
    }

    @Test
    void fewerRowsThanThreadsGiveOneChunkPerRow() {
        try (IntraOp par = IntraOp.of(4, 0)) {
            assertEquals(2, par.chunks(2, Long.MAX_VALUE));
            ConcurrentHashMap<Integer, Long> sizes = new ConcurrentHashMap<>();
            par.forEach(2, Long.MAX_VALUE, (c, from, to) -> sizes.put(c, to - from));
            assertEquals(2, sizes.size());
            assertTrue(sizes.values().stream().allMatch(n -> n == 1));
        }
    }

    @Test
    void smallWorkStaysOnTheCaller() {
        try (IntraOp par = IntraOp.of(2)) {
            assertEquals(1, par.chunks(100, IntraOp.MIN_CHUNK_WORK));
            assertEquals(2, par.chunks(100, 2 * IntraOp.MIN_CHUNK_WORK));
            Thread caller = Thread.currentThread();
            par.forEach(100, 1000, (c, from, to) -> assertEquals(caller, Thread.currentThread()));
        }
    }

    @Test
    @Timeout(60)
    void aCallerWhosePoolIsBusyRunsEveryChunkItself() throws Exception {
        try (IntraOp par = IntraOp.of(2, 0)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch poolBusy = new CountDownLatch(1);
            Thread[] other = new Thread[1];
            other[0] = new Thread(() -> par.forEach(2, 1, (c, from, to) -> {
                if (Thread.currentThread() != other[0]) { // the pool's one thread is held in its chunk
                    poolBusy.countDown();
                    await(release);
                } else {
                    await(poolBusy); // so the pool's thread surely claims the other chunk
                }
            }));
            other[0].setDaemon(true);
            other[0].start();
            poolBusy.await();
            ConcurrentHashMap<Integer, Boolean> onCaller = new ConcurrentHashMap<>();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> { // runs on a thread of its own: the caller
                    Thread caller = Thread.currentThread();
                    par.forEach(2, 1, (c, from, to) -> onCaller.put(c, caller == Thread.currentThread()));
                });
            } finally {
                release.countDown();
                other[0].join();
            }
            assertEquals(java.util.Map.of(0, true, 1, true), onCaller, "both chunks ran on the caller while the pool was busy");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aChunkThatThrowsFailsTheCall() {
        try (IntraOp par = IntraOp.of(2, 0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> par.forEach(4, Long.MAX_VALUE, (c, from, to) -> {
                if (c == 1) {
                    throw new IllegalStateException("chunk 1 failed");
                }
            }));
            assertEquals("chunk 1 failed", e.getMessage());
        }
    }

    @Test
    void zeroThreadsIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IntraOp.of(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }
}
