package chorus.models.meme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.TermValue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/** MEME's gradients (its weights w held constant, as the objective defines them) against finite differences. */
class MemeGradientTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final double BETA = 0.6;
    static final double[][] HALF_MISSING = {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 0}, {1, 0, 0}, {0, 1, 0}};

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("all observed", ModelFixtures.allObserved()),
                Arguments.of("half the rows missing a modality", HALF_MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferencesWithTheWeightsHeld(String name, double[][] presence) {
        MultimodalVae model = ModelFixtures.model(27, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(4, 13, DataType.DOUBLE, presence);
        MemeObjective meme = new MemeObjective(ModelFixtures.MODALITIES, 3, 2.0, LAMBDAS, 21).freezingWeights();
        ModelGradCheck.assertGradients(model, meme, batch, BETA, 6, true);
    }

    @Test
    void termsAddUpToTheLossAndUnpairedRowsTrainTheirElbo() {
        MultimodalVae model = ModelFixtures.model(28, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(2, 14, DataType.DOUBLE, HALF_MISSING);
        var r = ReferenceModel.gradients(model, new MemeObjective(ModelFixtures.MODALITIES, 3, 10.0, LAMBDAS, 4), batch, BETA);
        double sum = r.terms().stream().mapToDouble(TermValue::value).sum();
        assertEquals(r.loss(), sum, 1e-12 * Math.abs(r.loss()));
        assertTrue(r.terms().stream().anyMatch(t -> t.name().equals("elbo[image]")), r.terms().toString());
        assertTrue(r.terms().stream().anyMatch(t -> t.name().equals("meme[label>image]")), r.terms().toString());
    }

    @Test
    void heldWeightsChangeTheGradientOnlyAfterTheFirstStep() {
        // the frozen objective's first step is the objective's own step; it reuses w afterwards
        MultimodalVae model = ModelFixtures.model(29, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(5, 15, DataType.DOUBLE, ModelFixtures.allObserved());
        MemeObjective meme = new MemeObjective(ModelFixtures.MODALITIES, 2, 10.0, LAMBDAS, 6);
        MemeObjective frozen = meme.freezingWeights();
        var a = ReferenceModel.gradients(model, meme, batch, BETA);
        var b = ReferenceModel.gradients(model, frozen, batch, BETA);
        assertEquals(a.loss(), b.loss(), 0.0);
        Batch other = ModelFixtures.batch(5, 16, DataType.DOUBLE, ModelFixtures.allObserved());
        assertNotEquals(ReferenceModel.gradients(model, meme, other, BETA).loss(),
                ReferenceModel.gradients(model, frozen, other, BETA).loss());
    }
}
