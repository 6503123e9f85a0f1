package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Backward passes of every builder against central finite differences, in double precision. */
class NetworkGradientTest {

    private static final double TOLERANCE = 1e-6;
    private static final int BATCH = 2;

    static java.util.stream.Stream<org.junit.jupiter.api.Named<Network>> networks() {
        return NetFixtures.networks();
    }

    @ParameterizedTest
    @MethodSource("networks")
    void inputGradientMatchesFiniteDifferences(Network net) {
        INDArray x = NetFixtures.randn(1, BATCH, net.inputSize()); // [B, in]
        INDArray w = NetFixtures.randn(2, BATCH, net.outputSize()); // dL/d(out) of L = sum(W ⊙ out)
        net.forward(x);
        INDArray dx = net.backward(w).input(); // [B, in]

        double worst = 0;
        for (long i = 0; i < x.length(); i++) {
            double numeric = FiniteDifferences.derivative(v -> FiniteDifferences.linear(w, net.output(v)), x, i);
            worst = Math.max(worst, FiniteDifferences.error(dx.getDouble(i), numeric));
        }
        assertTrue(worst < TOLERANCE, "worst input-gradient error " + worst);
    }

    @ParameterizedTest
    @MethodSource("networks")
    void parameterGradientMatchesFiniteDifferences(Network net) {
        INDArray x = NetFixtures.randn(3, BATCH, net.inputSize()); // [B, in]
        INDArray w = NetFixtures.randn(4, BATCH, net.outputSize()); // [B, out]
        net.forward(x);
        INDArray dTheta = net.backward(w).params(); // [1, nParams]

        INDArray theta = net.params(); // [1, nParams], perturbed in place below
        Random pick = new Random(5);
        double worst = 0;
        for (int k = 0; k < 20; k++) {
            long i = k == 0 ? 0 : k == 1 ? net.numParams() - 1 : pick.nextInt((int) net.numParams());
            double numeric = FiniteDifferences.derivative(p -> {
                net.setParams(p);
                return FiniteDifferences.linear(w, net.output(x));
            }, theta, i);
            worst = Math.max(worst, FiniteDifferences.error(dTheta.getDouble(i), numeric));
        }
        assertTrue(worst < TOLERANCE, "worst parameter-gradient error " + worst);
    }
}
