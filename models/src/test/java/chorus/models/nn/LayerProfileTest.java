package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerProfileTest {

    @Test
    void recordsAccumulatePerLayerAndDirectionUntilReset() {
        LayerProfile p = new LayerProfile();
        p.record("a", false, 5);
        p.record("b", true, 7);
        p.record("a", false, 3);
        p.record("a", true, 2);
        assertEquals(List.of(new LayerProfile.Entry("a", 8, 2, 2, 1), new LayerProfile.Entry("b", 0, 0, 7, 1)),
                p.snapshot());
        p.reset();
        assertTrue(p.snapshot().isEmpty());
    }

    @Test
    void timerRecordsEachMeasuredPassOfEveryLayerInLayerOrder() {
        Network dec = NetFixtures.networks().filter(n -> n.getName().equals("conv decoder 2x8x8")).findFirst()
                .orElseThrow().getPayload();
        LayerProfile p = new LayerProfile();
        LayerTimer.time(dec, "dec", 3, 2, p);
        List<String> names = p.snapshot().stream().map(LayerProfile.Entry::layer).toList();
        assertEquals(List.of("dec/0 DenseLayer", "dec/1 DenseLayer", "dec/2 Deconvolution2D", "dec/3 Deconvolution2D",
                "dec/4 ActivationLayer"), names);
        assertTrue(p.snapshot().stream().allMatch(e -> e.forwardCalls() == 2 && e.backwardCalls() == 2), p.snapshot()::toString);
    }
}
