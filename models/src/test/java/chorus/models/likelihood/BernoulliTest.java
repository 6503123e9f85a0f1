package chorus.models.likelihood;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.normal;
import static chorus.models.MathFixtures.uniform;

import chorus.models.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BernoulliTest {

    private final Bernoulli bernoulli = new Bernoulli();

    @Test
    void logProbMatchesClosedForm() {
        INDArray logits = normal(1, 3, 4, 2), x = uniform(2, 3, 4, 0, 1);
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 3);
        for (int r = 0; r < 3; r++) {
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                double p = 1 / (1 + Math.exp(-logits.getDouble(r, c)));
                sum += x.getDouble(r, c) * Math.log(p) + (1 - x.getDouble(r, c)) * Math.log(1 - p);
            }
            expected.putScalar(r, sum);
        }
        assertClose(expected, bernoulli.logProb(logits, x), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void staysExactForLogitsOfMagnitudeOneThousand(DataType dtype) {
        INDArray logits = Nd4j.create(new double[][] {{1000, 1000, -1000, -1000}}).castTo(dtype);
        INDArray x = Nd4j.create(new double[][] {{1, 0, 1, 0}}).castTo(dtype);
        assertClose(Nd4j.create(new double[] {-2000}, new long[] {1}, dtype), bernoulli.logProb(logits, x), 1e-9);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray logits = normal(3, 3, 4, 2), x = uniform(4, 3, 4, 0, 1), g = normal(5, 3, 1, 1).reshape(3);
        GradCheck.assertGradient("dLogits", bernoulli.backward(logits, x, g), logits,
                () -> GradCheck.dot(g, bernoulli.logProb(logits, x)));
    }

    @Test
    void meanIsTheSigmoidOfTheLogits() {
        INDArray logits = Nd4j.create(new double[][] {{0, Math.log(3)}});
        assertClose(Nd4j.create(new double[][] {{0.5, 0.75}}), bernoulli.mean(logits), 1e-12);
    }
}
