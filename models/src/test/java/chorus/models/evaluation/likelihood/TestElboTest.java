package chorus.models.evaluation.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Dataset;
import chorus.models.ModalitySettings;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.concat.Concatenation;
import chorus.models.nn.NetworkOptions;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class TestElboTest {

    private static final double[] LAMBDAS = {1, 1, 1};

    @Test
    void evaluationIsTheRowWeightedMeanOfBatchLosses() {
        MultimodalVae model = ModelFixtures.model(2, DataType.FLOAT);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 3);
        Dataset data = ModelFixtures.dataset("test", 10, 4);
        TestElbo.Result r = TestElbo.evaluate(model, mvae, data, 4, 0); // batches of 4, 4, 2
        double expected = 0;
        for (int step = 0; step < 3; step++) {
            int[] rows = java.util.stream.IntStream.range(4 * step, Math.min(10, 4 * step + 4)).toArray();
            expected += ReferenceModel.evaluate(model, mvae, data.batch(step, rows), 1.0).loss() * rows.length;
        }
        assertEquals(10, r.rows());
        assertEquals(expected / 10, r.loss(), 1e-5);
    }

    @Test
    void limitStopsAfterThatManyRowsAndRepeatsExactly() {
        MultimodalVae model = ModelFixtures.model(2, DataType.FLOAT);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 3);
        Dataset data = ModelFixtures.dataset("test", 10, 4);
        TestElbo.Result a = TestElbo.evaluate(model, mvae, data, 4, 6);
        assertEquals(6, a.rows());
        assertEquals(a, TestElbo.evaluate(model, mvae, data, 4, 6));
    }

    @Test
    void theConcatenatedModelIsEvaluatedOnItsJointBatches() {
        List<ModalitySettings> settings = ModelFixtures.MODALITIES.stream().map(ModalitySettings::defaults).toList();
        MultimodalVae model = Concatenation.model(ModelFixtures.MODALITIES, settings, 3, List.of(5), NetworkOptions.of(2));
        Objective concat = Concatenation.objective(3);
        Dataset data = ModelFixtures.dataset("test", 10, 4);
        TestElbo.Result r = TestElbo.evaluate(model, concat, data, 4, 0, Concatenation::batch);
        double expected = 0;
        for (int step = 0; step < 3; step++) {
            int[] rows = java.util.stream.IntStream.range(4 * step, Math.min(10, 4 * step + 4)).toArray();
            expected += ReferenceModel.evaluate(model, concat, Concatenation.batch(data.batch(step, rows)), 1.0).loss() * rows.length;
        }
        assertEquals(expected / 10, r.loss(), 1e-5);
        assertEquals(List.of("nll[joint]", "kl[joint]"), r.terms().stream().map(t -> t.name()).toList());
    }
}
