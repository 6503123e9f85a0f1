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

    @Test
    void perEncoderReadsEveryEncoderAloneAndAgreesWithTheMixtureOfOneExpert() {
        var s = chorus.models.joint.JointFixtures.settings(Combination.FUMMVAE, 0, 9);
        MultimodalVae trained = chorus.models.joint.JointFixtures.model(s);
        MultimodalVae mmvae = chorus.models.ModelFactory.evaluated(s, trained);
        Dataset train = CoherenceTableTest.labelled(ModelFixtures.dataset("train", 30, 1));
        Dataset test = CoherenceTableTest.labelled(ModelFixtures.dataset("test", 12, 2));
        int[] trainRows = IntStream.range(0, 30).toArray();
        int[] testRows = IntStream.range(0, 12).toArray();
        List<LatentAccuracy.EncoderRow> rows = LatentAccuracy.perEncoder(trained, chorus.models.ModelFactory.input(s), train,
                trainRows, test, testRows, 8);
        assertEquals(List.of("image", "label", "features", "image-uni", "label-uni", "features-uni"),
                rows.stream().map(LatentAccuracy.EncoderRow::encoder).toList());
        List<LatentAccuracy.Row> mixture = LatentAccuracy.evaluate(mmvae, PosteriorRule.of(s), train, trainRows, test, testRows, 8);
        for (int j = 0; j < 3; j++) {
            assertEquals(List.of(mmvae.modalities().get(j).name()), mixture.get(j).given());
            assertEquals(mixture.get(j).accuracy(), rows.get(j).accuracy(), 1e-12, rows.get(j).encoder());
        }
    }
}
