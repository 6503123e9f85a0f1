package chorus.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CoherenceTest {

    private static final PosteriorRule POE = new PosteriorRule(Combination.POE, true);

    private final MultimodalVae model = ModelFixtures.model(2, DataType.DOUBLE);
    private final Batch batch = ModelFixtures.batch(0, 12, DataType.DOUBLE,
            new double[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}});

    @Test
    void imageToLabelComparesTheDecodedArgmaxAtThePosteriorMeanWithTheLabel() {
        INDArray z = Generation.posterior(model, POE, batch, List.of("image")).mean();
        int[] predicted = Generation.decode(model, 1, z).argMax(1).toIntVector();
        int[] truth = Coherence.truth(batch, 1);
        long expected = java.util.stream.IntStream.range(0, 6).filter(i -> predicted[i] == truth[i]).count();
        assertEquals(new Coherence.Count(expected, 6), Coherence.imageToLabel(model, POE, batch, 0, 1));
    }

    @Test
    void labelToImageScoresWhatTheClassifierSaysAgainstTheLabel() {
        int[] truth = Coherence.truth(batch, 1);
        assertEquals(1.0, Coherence.labelToImage(model, POE, batch, 0, 1, images -> truth.clone(), 3).accuracy());
        long zeros = Arrays.stream(truth).filter(t -> t == 0).count();
        assertEquals(new Coherence.Count(zeros, 6),
                Coherence.labelToImage(model, POE, batch, 0, 1, images -> new int[6], 3));
    }

    @Test
    void theClassifierSeesTheImagesDecodedFromALabelSample() {
        INDArray z = Generation.posterior(model, POE, batch, List.of("label")).sample(3, 0, 1);
        INDArray expected = Generation.decode(model, 0, z);
        INDArray[] seen = new INDArray[1];
        Coherence.labelToImage(model, POE, batch, 0, 1, images -> {
            seen[0] = images;
            return new int[6];
        }, 3);
        assertArrayEquals(expected.toDoubleMatrix(), seen[0].toDoubleMatrix());
    }

    @Test
    void countsAddUp() {
        assertEquals(new Coherence.Count(5, 9), new Coherence.Count(2, 4).plus(new Coherence.Count(3, 5)));
        assertEquals(0.5, new Coherence.Count(2, 4).accuracy());
    }
}
