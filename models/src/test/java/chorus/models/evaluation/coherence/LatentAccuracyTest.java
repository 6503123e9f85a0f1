package chorus.models.evaluation.coherence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.PosteriorRule;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class LatentAccuracyTest {

    @Test
    void theProbeIsScoredOnThePosteriorMeansOfEachSubset() {
        MultimodalVae model = ModelFixtures.model(2, DataType.FLOAT);
        PosteriorRule rule = new PosteriorRule(Combination.MOPOE, false);
        Dataset train = CoherenceTableTest.labelled(ModelFixtures.dataset("train", 30, 1));
        Dataset test = CoherenceTableTest.labelled(ModelFixtures.dataset("test", 12, 2));
        int[] trainRows = IntStream.range(0, 30).toArray();
        int[] testRows = IntStream.range(0, 12).toArray();
        List<LatentAccuracy.Row> rows = LatentAccuracy.evaluate(model, rule, train, trainRows, test, testRows, 8);
        assertEquals(7, rows.size());
        LatentAccuracy.Row label = rows.get(1);
        assertEquals(List.of("label"), label.given());
        ImageClassifier probe = ImageClassifier.train(LatentAccuracy.means(model, rule, train, trainRows, 8, List.of("label")),
                train.labels(), ClassJudges.classes(train, test), LatentAccuracy.PROBE);
        assertEquals(probe.accuracy(LatentAccuracy.means(model, rule, test, testRows, 8, List.of("label")), test.labels()),
                label.accuracy(), 1e-12);
        assertTrue(rows.stream().allMatch(r -> r.testRows() == 12 && r.trainRows() == 30));
    }
}
