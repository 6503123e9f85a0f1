package chorus.tools.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SgemmRateTest {

    @Test
    void smallProblemOnTwoThreadsGivesAPositiveFiniteRate() {
        double gflops = SgemmRate.gflops(64, 2, 1, 3);
        assertTrue(gflops > 0 && Double.isFinite(gflops), "GFLOP/s " + gflops);
    }

    @Test
    void zeroRoundsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> SgemmRate.gflops(64, 1, 0, 0));
        assertTrue(e.getMessage().contains("rounds >= 1"), e.getMessage());
    }
}
