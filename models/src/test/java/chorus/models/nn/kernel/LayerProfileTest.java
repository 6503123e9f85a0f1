package chorus.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.nn.NetFixtures;
import chorus.models.nn.Network;
import chorus.models.nn.arch.ConvNetworks;
import chorus.models.nn.cost.NetworkFlops;
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
    void networkRecordsEachPassOfEveryLayerUnderTheFlopLabels() {
        Network dec = ConvNetworks.decoder(2, java.util.List.of(3, 4, 6), 2, 8, 8, NetFixtures.DOUBLE);
        LayerProfile p = new LayerProfile();
        dec.profile("dec", p);
        for (int pass = 0; pass < 2; pass++) {
            dec.forward(NetFixtures.randn(pass, 3, 2));
            dec.backward(NetFixtures.randn(pass + 10, 3, dec.outputSize()));
        }
        List<String> names = p.snapshot().stream().map(LayerProfile.Entry::layer).toList();
        List<String> flopLabels = NetworkFlops.layers(dec).stream().filter(l -> l.perRow() > 0)
                .map(l -> NetworkFlops.label("dec", l)).toList();
        assertEquals(List.of("dec/0 DenseLayer", "dec/1 DenseLayer", "dec/2 Deconvolution2D", "dec/3 Deconvolution2D"), names);
        assertEquals(flopLabels, names);
        assertTrue(p.snapshot().stream().allMatch(e -> e.forwardCalls() == 2 && e.backwardCalls() == 2), p.snapshot()::toString);
        dec.profile("dec", null);
        dec.forward(NetFixtures.randn(5, 3, 2));
        assertTrue(p.snapshot().stream().allMatch(e -> e.forwardCalls() == 2), "no records once profiling stops");
    }
}
