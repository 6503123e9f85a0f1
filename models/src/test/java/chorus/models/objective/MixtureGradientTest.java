package chorus.models.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.nn.Network;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** MMVAE's gradients through the whole reference model: finite differences and absent modalities. */
class MixtureGradientTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final double BETA = 0.6;

    static Stream<Arguments> exactEstimators() {
        return Stream.of(
                Arguments.of(MixtureEstimator.ELBO, "all observed", ModelFixtures.allObserved()),
                Arguments.of(MixtureEstimator.ELBO, "some missing", ModelFixtures.someMissing()),
                Arguments.of(MixtureEstimator.IWAE, "all observed", ModelFixtures.allObserved()),
                Arguments.of(MixtureEstimator.IWAE, "some missing", ModelFixtures.someMissing()));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("exactEstimators")
    void gradientsMatchFiniteDifferencesOfTheLoss(MixtureEstimator estimator, String name, double[][] presence) {
        MultimodalVae model = ModelFixtures.model(21, DataType.DOUBLE);
        Objective mmvae = MixtureObjective.of(ModelFixtures.MODALITIES, 3, estimator, LAMBDAS, 17);
        Batch batch = ModelFixtures.batch(5, 10, DataType.DOUBLE, presence);
        ReferenceModel.StepResult result = ReferenceModel.gradients(model, mmvae, batch, BETA);
        SplittableRandom pick = new SplittableRandom(4);
        for (int j = 0; j < 3; j++) {
            assertMatches("encoder " + j, model.encoders().get(j), result.encoderGrads().get(j), model, mmvae, batch, pick);
            assertMatches("decoder " + j, model.decoders().get(j), result.decoderGrads().get(j), model, mmvae, batch, pick);
        }
    }

    @ParameterizedTest
    @EnumSource(MixtureEstimator.class)
    void modalityAbsentFromEveryRowHasNoGradient(MixtureEstimator estimator) {
        MultimodalVae model = ModelFixtures.model(22, DataType.DOUBLE);
        double[][] noLabel = {{1, 0, 1}, {1, 0, 0}, {0, 0, 1}, {1, 0, 1}};
        Batch batch = ModelFixtures.batch(0, 1, DataType.DOUBLE, noLabel);
        var r = ReferenceModel.gradients(model, MixtureObjective.of(ModelFixtures.MODALITIES, 2, estimator, LAMBDAS, 3), batch, BETA);
        assertNull(r.encoderGrads().get(1));
        assertNull(r.decoderGrads().get(1));
        for (int j : new int[] {0, 2}) {
            assertNotNull(r.encoderGrads().get(j));
            assertNotNull(r.decoderGrads().get(j));
        }
    }

    @ParameterizedTest
    @EnumSource(MixtureEstimator.class)
    void modalityAbsentFromEveryRowIsTheModelWithoutIt(MixtureEstimator estimator) {
        // The last modality's expert is its own noise stream, so dropping it leaves the others' z unchanged.
        MultimodalVae full = ModelFixtures.model(23, DataType.DOUBLE);
        double[][] noFeatures = {{1, 1, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}};
        Batch batch = ModelFixtures.batch(7, 2, DataType.DOUBLE, noFeatures);
        MultimodalVae two = new MultimodalVae(full.modalities().subList(0, 2), full.encoders().subList(0, 2),
                full.decoders().subList(0, 2), full.likelihoods().subList(0, 2), ModelFixtures.LATENT);
        Batch twoBatch = new Batch(batch.step(), two.modalities(), batch.tensors().subList(0, 2),
                batch.presence().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup(), batch.rows());
        var a = ReferenceModel.gradients(full, MixtureObjective.of(full.modalities(), 3, estimator, LAMBDAS, 8), batch, BETA);
        var b = ReferenceModel.gradients(two, MixtureObjective.of(two.modalities(), 3, estimator,
                new double[] {LAMBDAS[0], LAMBDAS[1]}, 8), twoBatch, BETA);
        assertEquals(b.loss(), a.loss(), 1e-12 * Math.abs(b.loss()));
        for (int j = 0; j < 2; j++) {
            MathFixtures.assertClose(b.encoderGrads().get(j), a.encoderGrads().get(j), 1e-12);
            MathFixtures.assertClose(b.decoderGrads().get(j), a.decoderGrads().get(j), 1e-12);
        }
    }

    /** Central differences of the loss at 6 random parameters of a network that ran, norm-wise as {@link GradCheck}. */
    private static void assertMatches(String name, Network net, INDArray grad, MultimodalVae model, Objective objective,
                                      Batch batch, SplittableRandom pick) {
        assertNotNull(grad, name + " did not run");
        int samples = 6;
        INDArray params = net.params();
        double[] numeric = new double[samples];
        double[] analytic = new double[samples];
        for (int s = 0; s < samples; s++) {
            long i = pick.nextLong(params.length());
            double original = params.getDouble(i);
            params.putScalar(i, original + GradCheck.STEP);
            net.setParams(params);
            double up = ReferenceModel.gradients(model, objective, batch, BETA).loss();
            params.putScalar(i, original - GradCheck.STEP);
            net.setParams(params);
            double down = ReferenceModel.gradients(model, objective, batch, BETA).loss();
            params.putScalar(i, original);
            net.setParams(params);
            numeric[s] = (up - down) / (2 * GradCheck.STEP);
            analytic[s] = grad.getDouble(i);
        }
        double error = GradCheck.relativeError(Nd4j.createFromArray(analytic), Nd4j.createFromArray(numeric));
        assertTrue(Nd4j.createFromArray(numeric).norm2Number().doubleValue() > 0, name + ": numeric gradient is zero");
        assertTrue(error < GradCheck.TOLERANCE, name + ": relative error " + error + "\nanalytic "
                + java.util.Arrays.toString(analytic) + "\nnumeric " + java.util.Arrays.toString(numeric));
    }
}
