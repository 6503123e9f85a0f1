package chorus.models;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.nn.Network;
import chorus.models.objective.Objective;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The whole-model oracle check: {@link ReferenceModel#gradients} against central finite differences
 * of its own loss, at random parameters of every encoder and decoder, norm-wise as {@link GradCheck}.
 * The objective's noise depends only on (seed, step), so every re-evaluation samples the same z.
 */
public final class ModelGradCheck {

    private ModelGradCheck() {
    }

    /**
     * @param samples         parameters checked per network
     * @param everyNetworkRuns fail if some network had no gradient (else such networks are skipped)
     */
    public static void assertGradients(MultimodalVae model, Objective objective, Batch batch, double beta,
                                       int samples, boolean everyNetworkRuns) {
        assertGradients(model, objective, batch, beta, samples, everyNetworkRuns, j -> true);
    }

    /**
     * As above for the encoders {@code encoderChecked} accepts (an objective that holds a quantity constant, such as
     * MFM's surrogate targets, has a gradient finite differences of its loss do not see for the network producing it).
     */
    public static void assertGradients(MultimodalVae model, Objective objective, Batch batch, double beta,
                                       int samples, boolean everyNetworkRuns, java.util.function.IntPredicate encoderChecked) {
        ReferenceModel.StepResult result = ReferenceModel.gradients(model, objective, batch, beta);
        SplittableRandom pick = new SplittableRandom(5);
        for (int j = 0; j < model.modalities().size(); j++) {
            for (boolean encoder : new boolean[] {true, false}) {
                String name = (encoder ? "encoder " : "decoder ") + j;
                INDArray grad = (encoder ? result.encoderGrads() : result.decoderGrads()).get(j);
                if (everyNetworkRuns) {
                    assertNotNull(grad, name + " did not run");
                }
                if (grad != null && (!encoder || encoderChecked.test(j))) {
                    Network net = (encoder ? model.encoders() : model.decoders()).get(j);
                    check(name, net, grad, () -> ReferenceModel.gradients(model, objective, batch, beta).loss(), pick, samples);
                }
            }
        }
    }

    private static void check(String name, Network net, INDArray grad, java.util.function.DoubleSupplier loss,
                              SplittableRandom pick, int samples) {
        INDArray params = net.params();
        double[] numeric = new double[samples];
        double[] analytic = new double[samples];
        for (int s = 0; s < samples; s++) {
            long i = pick.nextLong(params.length());
            double original = params.getDouble(i);
            params.putScalar(i, original + GradCheck.STEP);
            net.setParams(params);
            double up = loss.getAsDouble();
            params.putScalar(i, original - GradCheck.STEP);
            net.setParams(params);
            double down = loss.getAsDouble();
            params.putScalar(i, original);
            net.setParams(params);
            numeric[s] = (up - down) / (2 * GradCheck.STEP);
            analytic[s] = grad.getDouble(i);
        }
        INDArray n = Nd4j.createFromArray(numeric);
        assertTrue(n.norm2Number().doubleValue() > 0, name + ": numeric gradient is zero");
        double error = GradCheck.relativeError(Nd4j.createFromArray(analytic), n);
        assertTrue(error < GradCheck.TOLERANCE, name + ": relative error " + error + "\nanalytic "
                + Nd4j.createFromArray(analytic) + "\nnumeric " + n);
    }
}
