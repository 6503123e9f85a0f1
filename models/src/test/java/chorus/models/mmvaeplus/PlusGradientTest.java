package chorus.models.mmvaeplus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.mmvae.MixtureEstimator;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** MMVAE+'s gradients through the whole reference model (latent 3 = Dz 2 + Dw 1), its DReG and its cross-modal rows. */
class PlusGradientTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final double BETA = 0.6;

    private static PlusObjective objective(MixtureEstimator estimator, int k, int privateDim, long seed) {
        return new PlusObjective(ModelFixtures.MODALITIES, k, privateDim, 1.3, estimator, LAMBDAS, seed);
    }

    static Stream<Arguments> exactEstimators() {
        return Stream.of(
                Arguments.of(MixtureEstimator.ELBO, 1, "all observed", ModelFixtures.allObserved()),
                Arguments.of(MixtureEstimator.ELBO, 1, "some missing", ModelFixtures.someMissing()),
                Arguments.of(MixtureEstimator.IWAE, 1, "all observed", ModelFixtures.allObserved()),
                Arguments.of(MixtureEstimator.IWAE, 1, "some missing", ModelFixtures.someMissing()),
                Arguments.of(MixtureEstimator.IWAE, 0, "no modality-specific latent", ModelFixtures.someMissing()));
    }

    @ParameterizedTest(name = "{0}, Dw {1}, {2}")
    @MethodSource("exactEstimators")
    void gradientsMatchFiniteDifferencesOfTheLoss(MixtureEstimator estimator, int privateDim, String name, double[][] presence) {
        MultimodalVae model = ModelFixtures.model(21, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(5, 10, DataType.DOUBLE, presence);
        ModelGradCheck.assertGradients(model, objective(estimator, 3, privateDim, 17), batch, BETA, 6, true);
    }

    @Test
    void dregHasTheIwaeLossAndDecoderGradientsButAnotherEncoderGradient() {
        MultimodalVae model = ModelFixtures.model(13, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(2, 7, DataType.DOUBLE, ModelFixtures.someMissing());
        var iwae = ReferenceModel.gradients(model, objective(MixtureEstimator.IWAE, 4, 1, 3), batch, BETA);
        var dreg = ReferenceModel.gradients(model, objective(MixtureEstimator.DREG, 4, 1, 3), batch, BETA);
        assertEquals(iwae.loss(), dreg.loss(), 0.0);
        for (int j = 0; j < 3; j++) {
            assertEquals(iwae.decoderGrads().get(j), dreg.decoderGrads().get(j), "decoder " + j);
            double diff = iwae.encoderGrads().get(j).sub(dreg.encoderGrads().get(j)).amaxNumber().doubleValue();
            assertTrue(diff > 1e-6, "encoder " + j + " has the IWAE gradient under DReG");
        }
    }

    @ParameterizedTest
    @EnumSource(MixtureEstimator.class)
    void modalityAbsentFromEveryRowHasNoGradient(MixtureEstimator estimator) {
        MultimodalVae model = ModelFixtures.model(22, DataType.DOUBLE);
        double[][] noLabel = {{1, 0, 1}, {1, 0, 0}, {0, 0, 1}, {1, 0, 1}};
        Batch batch = ModelFixtures.batch(0, 1, DataType.DOUBLE, noLabel);
        var r = ReferenceModel.gradients(model, objective(estimator, 2, 1, 3), batch, BETA);
        assertNull(r.encoderGrads().get(1));
        assertNull(r.decoderGrads().get(1));
        for (int j : new int[] {0, 2}) {
            assertNotNull(r.encoderGrads().get(j));
            assertNotNull(r.decoderGrads().get(j));
        }
    }

    @Test
    void crossModalRowsReadTheAuxiliaryPriorAndOwnRowsTheSample() {
        int k = 2;
        int b = 4;
        long seed = 9;
        long step = 3;
        List<Gaussian> experts = MathFixtures.experts(5, 3, b, ModelFixtures.LATENT);
        TermStage stage = objective(MixtureEstimator.IWAE, k, 1, seed).forward(experts, MathFixtures.allPresent(b, 3), step, 1.0);
        DecodeRequest toImage = stage.requests().get(0);
        // rows of target 0 (image): expert 0's K*B rows first, then expert 1's
        INDArray aux = new StepNoise(seed, PlusObjective.AUX_STREAM).drawLaplace(step, 3, DataType.DOUBLE, k * b, 1); // (m 1, n 0)
        INDArray eps = new StepNoise(seed, 0).drawLaplace(step, 0, DataType.DOUBLE, k * b, 3);
        for (int r = 0; r < k * b; r++) {
            int row = r % b;
            double own = experts.get(0).mu().getDouble(row, 2) + Math.exp(experts.get(0).logvar().getDouble(row, 2)) * eps.getDouble(r, 2);
            assertEquals(own, toImage.z().getDouble(r, 2), 1e-12, "own w, row " + r);
            assertEquals(1.3 * aux.getDouble(r, 0), toImage.z().getDouble(k * b + r, 2), 1e-12, "auxiliary w, row " + r);
        }
        INDArray sharedOfExpert1 = toImage.z().get(NDArrayIndex.interval(k * b, 2 * k * b), NDArrayIndex.interval(0, 2));
        INDArray sameToLabel = stage.requests().get(1).z().get(NDArrayIndex.interval(k * b, 2 * k * b), NDArrayIndex.interval(0, 2));
        assertEquals(sharedOfExpert1, sameToLabel); // expert 1's own rows carry the same z
    }
}
