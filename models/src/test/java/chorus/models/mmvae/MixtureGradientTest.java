package chorus.models.mmvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import chorus.data.Batch;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
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
        ModelGradCheck.assertGradients(model, mmvae, batch, BETA, 6, true);
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
}
