package chorus.models.evaluation.coherence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
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
    private final int[] truth = Coherence.truth(batch, 1);

    @Test
    void crossCoherenceCountsTheRowsWhoseJudgeNamesTheirClass() {
        assertEquals(1.0, Coherence.cross(model, POE, batch, List.of("label"), 0, images -> truth.clone(), truth, 3).accuracy());
        long zeros = Arrays.stream(truth).filter(t -> t == 0).count();
        assertEquals(new Coherence.Count(zeros, 6),
                Coherence.cross(model, POE, batch, List.of("label"), 0, images -> new int[6], truth, 3));
    }

    @Test
    void theJudgeSeesTheTargetDecodedFromOneSampleOfTheSubsetPosterior() {
        INDArray z = Generation.posterior(model, POE, batch, List.of("label", "features")).sample(3, 0, 1);
        INDArray expected = Generation.decode(model, 0, z);
        INDArray[] seen = new INDArray[1];
        Coherence.cross(model, POE, batch, List.of("label", "features"), 0, images -> {
            seen[0] = images;
            return new int[6];
        }, truth, 3);
        assertArrayEquals(expected.toDoubleMatrix(), seen[0].toDoubleMatrix());
    }

    @Test
    void jointCoherenceCountsPriorSamplesOnWhichEveryJudgeAgrees() {
        ClassJudge label = new ClassJudge.Label(1, "label");
        ClassJudge features = new ClassJudge.Label(2, "features"); // argmax of the 3 decoded features as a "class"
        INDArray z = Generation.priorLatents(model, POE, 50, 4);
        int[] a = label.predict(Generation.decode(model, 1, z));
        int[] b = features.predict(Generation.decode(model, 2, z));
        long agree = java.util.stream.IntStream.range(0, 50).filter(i -> a[i] == b[i]).count();
        assertEquals(new Coherence.Count(agree, 50), Coherence.joint(model, POE, List.of(label, features), 50, 4));
        assertEquals(new Coherence.Count(50, 50), Coherence.joint(model, POE, List.of(label, label), 50, 4));
        assertThrows(IllegalArgumentException.class, () -> Coherence.joint(model, POE, List.of(label), 50, 4));
    }

    @Test
    void countsAddUp() {
        assertEquals(new Coherence.Count(5, 9), new Coherence.Count(2, 4).plus(new Coherence.Count(3, 5)));
        assertEquals(0.5, new Coherence.Count(2, 4).accuracy());
    }
}
