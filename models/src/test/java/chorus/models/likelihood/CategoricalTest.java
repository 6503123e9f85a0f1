package chorus.models.likelihood;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.normal;

import chorus.models.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CategoricalTest {

    private final Categorical categorical = new Categorical();

    /** One-hot rows for classes 2, 0, 3 of 4. */
    private static INDArray oneHot() {
        return Nd4j.create(new double[][] {{0, 0, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}});
    }

    @Test
    void logProbIsTheLogSoftmaxOfTheObservedClass() {
        INDArray logits = normal(1, 3, 4, 2);
        int[] classes = {2, 0, 3};
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 3);
        for (int r = 0; r < 3; r++) {
            double norm = 0;
            for (int c = 0; c < 4; c++) {
                norm += Math.exp(logits.getDouble(r, c));
            }
            expected.putScalar(r, logits.getDouble(r, classes[r]) - Math.log(norm));
        }
        assertClose(expected, categorical.logProb(logits, oneHot()), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void staysExactForLogitsOfMagnitudeOneThousand(DataType dtype) {
        INDArray logits = Nd4j.create(new double[][] {{1000, 0, -1000}}).castTo(dtype);
        INDArray x = Nd4j.create(new double[][] {{0, 1, 0}}).castTo(dtype);
        assertClose(Nd4j.create(new double[] {-1000}, new long[] {1}, dtype), categorical.logProb(logits, x), 1e-9);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray logits = normal(2, 3, 4, 2), g = normal(3, 3, 1, 1).reshape(3);
        GradCheck.assertGradient("dLogits", categorical.backward(logits, oneHot(), g), logits,
                () -> GradCheck.dot(g, categorical.logProb(logits, oneHot())));
    }

    @Test
    void meanIsAProbabilityVectorPerRow() {
        INDArray probs = categorical.mean(normal(4, 3, 4, 3));
        assertClose(Nd4j.ones(DataType.DOUBLE, 3), probs.sum(1), 1e-12);
    }
}
