package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.nn.arch.ConvNetworks;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What a Network accepts and refuses, and the messages it refuses with. */
class NetworkContractTest {

    @Test
    void wrongInputWidthNamesExpectedAndFound() {
        Network net = NetFixtures.mlp(1);
        var e = assertThrows(IllegalArgumentException.class, () -> net.forward(NetFixtures.randn(1, 2, 7)));
        assertTrue(e.getMessage().contains("expected [batch, 6]") && e.getMessage().contains("found 7 columns"),
                e.getMessage());
    }

    @Test
    void backwardWithoutForwardIsRefused() {
        Network net = NetFixtures.mlp(1);
        var e = assertThrows(IllegalStateException.class, () -> net.backward(NetFixtures.randn(1, 2, 6)));
        assertTrue(e.getMessage().contains("call forward(x) first"), e.getMessage());
    }

    @Test
    void backwardWithAnotherBatchSizeIsRefused() {
        Network net = NetFixtures.mlp(1);
        net.forward(NetFixtures.randn(1, 3, 6));
        var e = assertThrows(IllegalArgumentException.class, () -> net.backward(NetFixtures.randn(2, 2, 6)));
        assertTrue(e.getMessage().contains("2 rows, expected 3"), e.getMessage());
    }

    @Test
    void inferenceBetweenForwardAndBackwardIsRefused() {
        // DL4J's output() clears the layer inputs that the pending backward needs.
        Network net = NetFixtures.mlp(1);
        net.forward(NetFixtures.randn(1, 3, 6));
        assertThrows(IllegalStateException.class, () -> net.output(NetFixtures.randn(2, 3, 6)));
    }

    @Test
    void trainingForwardEqualsInference() {
        Network net = NetFixtures.mlp(1);
        INDArray x = NetFixtures.randn(1, 3, 6);
        assertEquals(net.output(x), net.forward(x));
    }

    @Test
    void floatInputIsCastToTheNetworkType() {
        Network net = NetFixtures.mlp(1);
        INDArray x = NetFixtures.randn(1, 3, 6);
        INDArray out = net.output(x.castTo(DataType.FLOAT));
        assertEquals(DataType.DOUBLE, out.dataType());
        assertTrue(out.equalsWithEps(net.output(x), 1e-6));
    }

    @Test
    void forwardAndBackwardOnDifferentThreadsGiveTheSameGradients() throws Exception {
        // An actor may run each message on another dispatcher thread; DL4J workspaces are per thread.
        Network net = ConvNetworks.encoder(2, 8, 8, java.util.List.of(3, 4, 6), 2, NetFixtures.DOUBLE);
        INDArray x = NetFixtures.randn(1, 3, 128);
        INDArray w = NetFixtures.randn(2, 3, 4);
        net.forward(x);
        Gradients sameThread = net.backward(w);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            net.forward(x);
            Gradients crossThread = other.submit(() -> net.backward(w)).get();
            assertEquals(sameThread.params(), crossThread.params());
            assertEquals(sameThread.input(), crossThread.input());
        } finally {
            other.shutdown();
        }
    }

    @Test
    void setParamsOfWrongLengthNamesBothLengths() {
        Network net = NetFixtures.mlp(1);
        var e = assertThrows(IllegalArgumentException.class, () -> net.setParams(NetFixtures.randn(1, 1, 5)));
        assertTrue(e.getMessage().contains("expected [1, " + net.numParams() + "]"), e.getMessage());
    }
}
