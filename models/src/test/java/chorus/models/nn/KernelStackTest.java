package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.nn.arch.ConvNetworks;
import chorus.models.nn.arch.MlpNetworks;
import chorus.models.nn.kernel.FlatAdam;
import chorus.models.nn.kernel.IntraOp;
import chorus.models.nn.kernel.KernelStack;
import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Chorus's own kernels against DL4J's layers, in double: the same outputs, input gradients and
 * parameter gradients for every architecture the builders make (the kernels' finite-difference
 * checks are NetworkGradientTest's, which run on the kernel path since it is the default).
 */
class KernelStackTest {

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Function<NetworkOptions, Network>>> builders() {
        return NetFixtures.builders();
    }

    @ParameterizedTest
    @MethodSource("builders")
    void kernelsEqualDl4jLayers(Function<NetworkOptions, Network> build) {
        Network own = build.apply(NetFixtures.DOUBLE);
        assertNotNull(KernelStack.of(own.dl4j()), "every builder's network runs on the kernels");
        assertMatchesDl4j(own, 5, IntraOp.SINGLE);
    }

    @ParameterizedTest
    @MethodSource("builders")
    void rowsSplitOverThreadsGiveTheOneThreadResult(Function<NetworkOptions, Network> build) {
        for (int threads : new int[] {2, 3}) { // 2: dense backward as two whole products; 3: rows in chunks of 1, 2, 2
            Network one = build.apply(NetFixtures.DOUBLE);
            Network many = one.copy();
            try (IntraOp par = IntraOp.of(threads, 0)) { // split even these tiny layers
                many.intraOp(par);
                INDArray x = NetFixtures.randn(9, 5, one.inputSize());
                INDArray e = NetFixtures.randn(10, 5, one.outputSize());
                assertClose(one.forward(x), many.forward(x), threads + " threads: output");
                Gradients want = one.backward(e);
                Gradients got = many.backward(e);
                assertClose(want.input(), got.input(), threads + " threads: dL/dx");
                assertClose(want.params(), got.params(), threads + " threads: dL/dθ");
                many.applyGradient(got.params(), 0, 0);
                one.applyGradient(want.params(), 0, 0);
                assertClose(one.params(), many.params(), threads + " threads: parameters after Adam");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("builders")
    void flatAdamEqualsDl4jUpdaterOverSteps(Function<NetworkOptions, Network> build) {
        Network own = build.apply(NetFixtures.DOUBLE);
        Network dl4j = new Network(own.dl4j().clone(), own.inputSize(), own.outputSize(), false);
        assertNotNull(FlatAdam.of(own.dl4j()), "every builder's network has one shared Adam");
        try (IntraOp par = IntraOp.of(2, 0)) {
            own.intraOp(par); // the flat vector cut into two chunks
            for (int step = 0; step < 3; step++) {
                INDArray g = NetFixtures.randn(20 + step, 1, (int) own.numParams());
                dl4j.applyGradient(g, step, 0);
                own.applyGradient(g, step, 0);
                assertClose(dl4j.params(), own.params(), "parameters after step " + step);
                assertClose(dl4j.updaterState(), own.updaterState(), "Adam state after step " + step);
            }
        }
    }

    @Test
    void flatAdamInFloatEqualsDl4jUpdater() {
        Network own = MlpNetworks.encoder(60, List.of(50), 4, NetworkOptions.of(3)); // float, 3.5k parameters
        Network dl4j = new Network(own.dl4j().clone(), own.inputSize(), own.outputSize(), false);
        try (IntraOp par = IntraOp.of(2, 0)) {
            own.intraOp(par);
            for (int step = 0; step < 3; step++) {
                INDArray g = NetFixtures.randn(30 + step, 1, (int) own.numParams()).castTo(own.dataType());
                dl4j.applyGradient(g, step, 0);
                own.applyGradient(g, step, 0);
                assertTrue(dl4j.params().equalsWithEps(own.params(), 1e-6), "parameters after step " + step);
                assertTrue(dl4j.updaterState().equalsWithEps(own.updaterState(), 1e-6), "Adam state after step " + step);
            }
        }
    }

    /**
     * An update that keeps its undo state (what a worker puts back when the update fails) leaves there exactly
     * the parameters and moments before it, and updates exactly as one that keeps nothing: in float (SIMD
     * lanes and the scalar tail, 3,454 parameters over two threads), in double, and through DL4J's updater.
     */
    @Test
    void anUpdateKeepingItsUndoStateKeepsTheStateBeforeItAndUpdatesTheSame() {
        Network floatNet = MlpNetworks.encoder(60, List.of(50), 4, NetworkOptions.of(3));
        Network doubleNet = NetFixtures.mlp(1);
        Network dl4jNet = new Network(doubleNet.dl4j().clone(), doubleNet.inputSize(), doubleNet.outputSize(), false);
        for (Network plain : List.of(floatNet, doubleNet, dl4jNet)) {
            Network keeping = plain.copy();
            INDArray keptParams = plain.params().assign(Double.NaN);
            INDArray keptState = plain.updaterState().assign(Double.NaN);
            try (IntraOp par = IntraOp.of(2, 0)) {
                plain.intraOp(par);
                keeping.intraOp(par);
                for (int step = 0; step < 3; step++) {
                    INDArray g = NetFixtures.randn(40 + step, 1, (int) plain.numParams()).castTo(plain.dataType());
                    INDArray paramsBefore = keeping.params();
                    INDArray stateBefore = keeping.updaterState();
                    plain.applyGradient(g, step, 0);
                    keeping.applyGradient(g, step, 0, keptParams, keptState);
                    assertEquals(paramsBefore, keptParams, plain.dataType() + ": kept parameters, step " + step);
                    assertEquals(stateBefore, keptState, plain.dataType() + ": kept Adam state, step " + step);
                    assertEquals(plain.params(), keeping.params(), plain.dataType() + ": parameters after step " + step);
                    assertEquals(plain.updaterState(), keeping.updaterState(), plain.dataType() + ": state after step " + step);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("builders")
    void parameterOnlyBackwardGivesTheSameParameterGradient(Function<NetworkOptions, Network> build) {
        Network full = build.apply(NetFixtures.DOUBLE);
        Network lean = full.copy();
        INDArray x = NetFixtures.randn(11, 4, full.inputSize());
        INDArray e = NetFixtures.randn(12, 4, full.outputSize());
        full.forward(x);
        lean.forward(x);
        assertClose(full.backward(e).params(), lean.backwardParams(e), "dL/dθ");
    }

    @Test
    void conv2dUsesLibnd4jWeightsInDl4jLayout() {
        // The MVAE sizes on a 2-row batch: catches a weight-format or padding mismatch at full size.
        assertMatchesDl4j(ConvNetworks.encoder(1, 28, 28, List.of(4, 8, 16), 3, NetFixtures.DOUBLE), 2, IntraOp.SINGLE);
    }

    @Test
    void deconv2dUsesLibnd4jWeightsInDl4jLayout() {
        assertMatchesDl4j(ConvNetworks.decoder(3, List.of(4, 8, 16), 1, 28, 28, NetFixtures.DOUBLE), 2, IntraOp.SINGLE);
    }

    @Test
    void oneChannelDeconvolutionBackwardSplitOverThreadsEqualsDl4j() {
        try (IntraOp par = IntraOp.of(3, 0)) { // 5 rows in chunks of 1, 2 and 2
            assertMatchesDl4j(ConvNetworks.decoder(3, List.of(4, 8, 16), 1, 28, 28, NetFixtures.DOUBLE), 5, par);
        }
    }

    @Test
    void unsupportedLayerKeepsDl4jPath() {
        MultiLayerConfiguration conf = Layers.list(NetFixtures.DOUBLE)
                .layer(Layers.dense(4, Layers.HIDDEN))
                .layer(new DropoutLayer.Builder(0.5).build())
                .layer(Layers.dense(2, Activation.IDENTITY))
                .setInputType(InputType.feedForward(3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        assertNull(KernelStack.of(net));
    }

    @Test
    void kernelsReuseTheirBuffersAcrossSteps() {
        Network own = ConvNetworks.decoder(2, List.of(3, 4, 6), 1, 8, 8, NetFixtures.DOUBLE);
        KernelStack stack = KernelStack.of(own.dl4j());
        INDArray z = NetFixtures.randn(1, 4, 2);
        INDArray first = stack.forward(z, IntraOp.SINGLE);
        INDArray second = stack.forward(z, IntraOp.SINGLE);
        assertEquals(first.data().address(), second.data().address(), "the same output buffer step after step");
    }

    /** {@code own} on the kernels (split over {@code par}) against a clone of it on DL4J's layers. */
    private static void assertMatchesDl4j(Network own, int rows, IntraOp par) {
        Network dl4j = new Network(own.dl4j().clone(), own.inputSize(), own.outputSize(), false);
        own.intraOp(par);
        INDArray x = NetFixtures.randn(7, rows, own.inputSize());
        INDArray e = NetFixtures.randn(8, rows, own.outputSize());
        assertClose(dl4j.forward(x), own.forward(x), "output");
        Gradients want = dl4j.backward(e);
        Gradients got = own.backward(e);
        assertClose(want.input(), got.input(), "dL/dx");
        assertClose(want.params(), got.params(), "dL/dθ");
        assertClose(dl4j.output(x), own.output(x), "inference output");
    }

    private static void assertClose(INDArray want, INDArray got, String what) {
        assertEquals(want.length(), got.length(), what + " length");
        double scale = Math.max(1e-8, want.norm2Number().doubleValue());
        double err = want.reshape(want.length()).sub(got.reshape(got.length())).norm2Number().doubleValue();
        assertTrue(err / scale < 1e-10, what + ": relative error " + err / scale);
    }
}
