package chorus.models.likelihood;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chorus.models.GradCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SequenceCategoricalTest {

    /** Vocabulary 3: tokens 0 and 1, padding 2. */
    private final SequenceCategorical sequence = new SequenceCategorical(3);

    /** Rows "0 1 1" (no padding), "1 pad pad" and "pad pad pad", one-hot, 3 positions. */
    private static INDArray tokens() {
        return Nd4j.create(new double[][] {
            {1, 0, 0, 0, 1, 0, 0, 1, 0},
            {0, 1, 0, 0, 0, 1, 0, 0, 1},
            {0, 0, 1, 0, 0, 1, 0, 0, 1}});
    }

    @Test
    void logProbSumsPositionsUpToAndIncludingTheFirstPadding() {
        INDArray logits = normal(1, 3, 9, 2);
        INDArray perPosition = new Categorical().logProb(logits.reshape(9, 3), tokens().reshape(9, 3)).reshape(3, 3);
        INDArray expected = Nd4j.create(new double[] {
            perPosition.getRow(0).sumNumber().doubleValue(),
            perPosition.getDouble(1, 0) + perPosition.getDouble(1, 1),
            perPosition.getDouble(2, 0)});
        assertClose(expected, sequence.logProb(logits, tokens()), 1e-12);
    }

    @Test
    void logitsAfterTheEndDoNotChangeTheScore() {
        INDArray logits = normal(2, 3, 9, 2);
        INDArray changed = logits.dup();
        changed.putScalar(1, 7, 50.0); // row "1 pad pad": position 2 comes after its end
        changed.putScalar(2, 4, -50.0);
        assertClose(sequence.logProb(logits, tokens()), sequence.logProb(changed, tokens()), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray logits = normal(3, 3, 9, 2), g = normal(4, 3, 1, 1).reshape(3);
        GradCheck.assertGradient("dLogits", sequence.backward(logits, tokens(), g), logits,
                () -> GradCheck.dot(g, sequence.logProb(logits, tokens())));
    }

    @Test
    void meanIsAProbabilityVectorPerPosition() {
        INDArray probs = sequence.mean(normal(5, 2, 9, 3)).reshape(6, 3);
        assertClose(Nd4j.ones(DataType.DOUBLE, 6), probs.sum(1), 1e-12);
    }

    @Test
    void widthThatIsNoMultipleOfTheVocabularyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sequence.paramSize(8));
        assertEquals(true, e.getMessage().contains("multiple of the vocabulary 3"), e.getMessage());
    }
}
