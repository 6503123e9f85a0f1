package chorus.models.mvtcae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** MVTCAE's gradients through the whole reference model against finite differences, and its logged terms. */
class TcGradientTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final double BETA = 0.6;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(false, 0.3, "all observed", ModelFixtures.allObserved()),
                Arguments.of(false, 0.8, "some missing", ModelFixtures.someMissing()),
                Arguments.of(true, 0.5, "with the prior expert, some missing", ModelFixtures.someMissing()));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferencesOfTheLoss(boolean includePrior, double alpha, String name, double[][] presence) {
        MultimodalVae model = ModelFixtures.model(24, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(3, 11, DataType.DOUBLE, presence);
        TcObjective mvtcae = new TcObjective(ModelFixtures.MODALITIES, includePrior, alpha, LAMBDAS, 19);
        ModelGradCheck.assertGradients(model, mvtcae, batch, BETA, 6, true);
    }

    @Test
    void termsAddUpToTheLoss() {
        MultimodalVae model = ModelFixtures.model(25, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(1, 12, DataType.DOUBLE, ModelFixtures.someMissing());
        var r = ReferenceModel.gradients(model, new TcObjective(ModelFixtures.MODALITIES, false, 0.4, LAMBDAS, 2), batch, BETA);
        double sum = 0;
        for (TermValue t : r.terms()) {
            sum += t.name().startsWith("nll") ? t.value() : BETA * t.value();
        }
        assertEquals(r.loss(), sum, 1e-12 * Math.abs(r.loss()));
        assertEquals(7, r.terms().size()); // nll x 3, vib, cvib x 3
    }

    @Test
    void modalityAbsentFromEveryRowHasNoGradient() {
        MultimodalVae model = ModelFixtures.model(26, DataType.DOUBLE);
        double[][] noLabel = {{1, 0, 1}, {1, 0, 0}, {0, 0, 1}, {1, 0, 1}};
        var r = ReferenceModel.gradients(model, new TcObjective(ModelFixtures.MODALITIES, false, 0.5, LAMBDAS, 3),
                ModelFixtures.batch(0, 1, DataType.DOUBLE, noLabel), BETA);
        assertNull(r.encoderGrads().get(1));
        assertNull(r.decoderGrads().get(1));
    }
}
