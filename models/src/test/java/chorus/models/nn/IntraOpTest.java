package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class IntraOpTest {

    @Test
    void chunksCoverEveryRowOnceInContiguousRanges() {
        try (IntraOp par = IntraOp.of(3)) {
            long[] owner = new long[7];
            par.forEach(7, (c, from, to) -> {
                for (long r = from; r < to; r++) {
                    owner[(int) r] = c;
                }
            });
            assertArrayEquals(new long[] {0, 0, 1, 1, 2, 2, 2}, owner);
        }
    }

    @Test
    void fewerRowsThanThreadsGiveOneChunkPerRow() {
        try (IntraOp par = IntraOp.of(4)) {
            assertEquals(2, par.chunks(2));
            ConcurrentHashMap<Integer, Long> sizes = new ConcurrentHashMap<>();
            par.forEach(2, (c, from, to) -> sizes.put(c, to - from));
            assertEquals(2, sizes.size());
            assertTrue(sizes.values().stream().allMatch(n -> n == 1));
        }
    }

    @Test
    void aChunkThatThrowsFailsTheCall() {
        try (IntraOp par = IntraOp.of(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> par.forEach(4, (c, from, to) -> {
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
