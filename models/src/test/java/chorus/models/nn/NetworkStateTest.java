package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.nn.arch.MlpNetworks;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Seeds, copies, checkpoints (parameters and Adam state) and optimiser steps. */
class NetworkStateTest {

    static Stream<Named<Function<NetworkOptions, Network>>> builders() {
        return NetFixtures.all();
    }

    /** One training step on a fixed batch: forward, L = sum(W ⊙ out), backward, Adam. */
    private static void step(Network net, int iteration) {
        INDArray x = NetFixtures.randn(10 + iteration, 4, net.inputSize()); // [B, in]
        net.forward(x);
        INDArray w = NetFixtures.randn(20 + iteration, 4, net.outputSize()); // dL/d(out)
        net.applyGradient(net.backward(w).params(), iteration, 0);
    }

    @ParameterizedTest
    @MethodSource("builders")
    void sameSeedBuildsIdenticalParameters(Function<NetworkOptions, Network> build) {
        assertEquals(build.apply(NetFixtures.DOUBLE).params(), build.apply(NetFixtures.DOUBLE).params());
    }

    @ParameterizedTest
    @MethodSource("builders")
    void differentSeedsBuildDifferentParameters(Function<NetworkOptions, Network> build) {
        assertNotEquals(build.apply(NetFixtures.DOUBLE).params(),
                build.apply(NetFixtures.DOUBLE.withSeed(43)).params());
    }

    @Test
    void trainingACopyLeavesTheOriginalUnchanged() {
        Network original = NetFixtures.mlp(1);
        INDArray before = original.params();
        Network copy = original.copy();
        step(copy, 0);
        assertEquals(before, original.params());
        assertNotEquals(before, copy.params());
    }

    @Test
    void anInferenceCopyOutputsAsTheOriginalHoldsNoOptimiserStateAndRefusesTraining() {
        Network original = NetFixtures.mlp(1);
        step(original, 0);
        Network copy = original.inferenceCopy();
        INDArray x = NetFixtures.randn(5, 3, original.inputSize());
        assertEquals(original.output(x), copy.output(x));
        assertEquals(original.params(), copy.params());
        assertEquals(null, copy.dl4j().getUpdater(false), "no Adam state allocated");
        copy.setParams(original.params().mul(2));
        assertNotEquals(original.output(x), copy.output(x));
        INDArray y = copy.output(x);
        assertEquals(y, copy.forward(x)); // a forward the evaluation scores, then drops
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> copy.backward(y));
        assertTrue(e.getMessage().contains("inference copy"), e.getMessage());
        copy.discardForward();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, copy::updaterState);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> copy.applyGradient(original.params(), 1, 0));
    }

    @Test
    void aRecycledGradientIsRefilledByTheNextBackwardWithTheSameValuesAsAFreshOne() {
        Network net = NetFixtures.mlp(1);
        Network twin = net.copy();
        INDArray x = NetFixtures.randn(6, 4, net.inputSize());
        INDArray d = NetFixtures.randn(7, 4, net.outputSize());
        net.forward(x);
        INDArray first = net.backward(d).params();
        INDArray expected = first.dup();
        net.recycleGradient(first);
        twin.forward(x.mul(3)); // a copy shares the spare arrays
        INDArray other = twin.backward(d).params();
        assertTrue(other == first, "the copy's backward refilled the recycled array");
        assertNotEquals(expected, other);
        twin.recycleGradient(other);
        net.forward(x);
        INDArray again = net.backward(d).params();
        assertTrue(again == first, "the recycled array came back");
        assertEquals(expected, again);
        INDArray foreign = NetFixtures.randn(8, 1, 3);
        net.recycleGradient(foreign); // not a gradient of this network: released, not kept
        assertTrue(foreign.wasClosed());
    }

    @Test
    void copyContinuesExactlyAsTheOriginal() {
        Network original = NetFixtures.mlp(1);
        step(original, 0);
        Network copy = original.copy();
        step(original, 1);
        step(copy, 1);
        assertEquals(original.params(), copy.params());
        assertEquals(original.updaterState(), copy.updaterState());
    }

    @Test
    void paramsRoundTripExactly() {
        Network source = NetFixtures.mlp(1);
        Network target = NetFixtures.mlp(2);
        target.setParams(source.params());
        INDArray x = NetFixtures.randn(3, 2, 6);
        assertEquals(source.params(), target.params());
        assertEquals(source.output(x), target.output(x));
    }

    @Test
    void restoredParamsAndUpdaterStateContinueIdentically() {
        Network trained = NetFixtures.mlp(1);
        step(trained, 0);
        step(trained, 1);
        Network a = NetFixtures.mlp(7);
        Network b = NetFixtures.mlp(8);
        for (Network n : new Network[] {a, b}) {
            n.setParams(trained.params());
            n.setUpdaterState(trained.updaterState());
        }
        assertEquals(trained.updaterState(), a.updaterState());
        step(a, 2);
        step(b, 2);
        step(trained, 2);
        assertEquals(trained.params(), a.params());
        assertEquals(a.params(), b.params());
    }

    @Test
    void adamDecreasesAQuadraticLoss() {
        Network net = MlpNetworks.encoder(6, java.util.List.of(5, 4), 3, NetFixtures.DOUBLE.withLearningRate(1e-2));
        INDArray x = NetFixtures.randn(1, 8, 6); // [B, in]
        INDArray target = NetFixtures.randn(2, 8, 6); // [B, out]
        double first = 0;
        double last = 0;
        for (int t = 0; t < 50; t++) {
            INDArray diff = net.forward(x).sub(target); // [B, out]
            last = 0.5 * diff.mul(diff).sumNumber().doubleValue() / 8; // L = mean_b 0.5 ||out_b - target_b||^2
            first = t == 0 ? last : first;
            net.applyGradient(net.backward(diff.div(8)).params(), t, 0); // dL/d(out) = diff / B
        }
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    }

    @Test
    void firstStepIsBiasCorrectedAdamWithoutBatchScaling() {
        double lr = 1e-3;
        Network net = NetFixtures.mlp(1);
        INDArray before = net.params(); // [1, n]
        INDArray grad = NetFixtures.randn(3, 1, (int) net.numParams()).muli(1e-7); // small: Adam's eps matters
        net.applyGradient(grad, 0, 0);
        // t = 1: m = 0.1 g, v = 0.001 g^2, step = lr * sqrt(1 - 0.999) / (1 - 0.9) * m / (sqrt(v) + 1e-8)
        double root = Math.sqrt(1 - 0.999);
        for (long i = 0; i < net.numParams(); i++) {
            double g = grad.getDouble(i);
            double expected = before.getDouble(i) - lr * root * g / (root * Math.abs(g) + 1e-8);
            assertEquals(expected, net.params().getDouble(i), 1e-15, "parameter " + i);
        }
    }

    @Test
    void gradientsAreNotOverwrittenByTheNextStep() {
        Network net = NetFixtures.mlp(1);
        net.forward(NetFixtures.randn(1, 3, 6));
        Gradients first = net.backward(NetFixtures.randn(2, 3, 6));
        Gradients kept = new Gradients(first.params().dup(), first.input().dup());
        net.forward(NetFixtures.randn(3, 3, 6));
        net.backward(NetFixtures.randn(4, 3, 6));
        assertEquals(kept.params(), first.params());
        assertEquals(kept.input(), first.input());
    }
}
