package chorus.models.evaluation.coherence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.PosteriorRule;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class CoherenceTableTest {

    private static final PosteriorRule POE = new PosteriorRule(Combination.POE, true);

    @Test
    void synergyAveragesCrossCoherenceBySizeOfTheConditioningSet() {
        List<CoherenceTable.Cell> cells = List.of(
                new CoherenceTable.Cell(List.of("a"), "b", new Coherence.Count(1, 2)),
                new CoherenceTable.Cell(List.of("a"), "a", new Coherence.Count(0, 2)),   // a reconstruction: left out
                new CoherenceTable.Cell(List.of("b"), "a", new Coherence.Count(2, 2)),
                new CoherenceTable.Cell(List.of("b", "c"), "a", new Coherence.Count(1, 4)));
        assertEquals(0.75, CoherenceTable.synergy(cells).get(1), 1e-12);
        assertEquals(0.25, CoherenceTable.synergy(cells).get(2), 1e-12);
        assertEquals(2, CoherenceTable.synergy(cells).size());
    }

    @Test
    void everyCellIsTheCrossCoherenceOfItsSubsetAndTarget() {
        MultimodalVae model = ModelFixtures.model(2, DataType.FLOAT);
        Dataset test = labelled(ModelFixtures.dataset("test", 7, 5));
        int[] rows = IntStream.range(0, 7).toArray();
        List<ClassJudge> judges = List.of(new ClassJudge.Label(1, "label"));
        CoherenceTable.Result r = CoherenceTable.evaluate(model, POE, test, rows, 4, judges, 9);
        assertEquals(7, r.cells().size()); // 7 subsets x 1 judge
        CoherenceTable.Cell imageToLabel = r.cells().get(0);
        assertEquals(List.of("image"), imageToLabel.given());
        Coherence.Count expected = Coherence.Count.NONE;
        for (var b : test.batches(rows, 4)) {
            int[] truth = java.util.Arrays.stream(b.rows()).map(i -> test.labels()[i]).toArray();
            expected = expected.plus(Coherence.cross(model, POE, b, List.of("image"), 1, judges.get(0)::predict, truth,
                    chorus.data.Seeds.derive(chorus.data.Seeds.derive(9, b.step()), 0)));
        }
        assertEquals(expected, imageToLabel.count());
        assertEquals(true, r.joint().isEmpty()); // one judge: nothing to agree with
    }

    /** The fixture's data with its label's argmax as the class of each row. */
    static Dataset labelled(Dataset d) {
        int[] labels = d.data(1).argMax(1).toIntVector();
        return Dataset.fullyObserved(d.name(), d.split(), d.source(), d.modalities(),
                IntStream.range(0, d.modalities().size()).mapToObj(d::data).toList(), labels);
    }
}
