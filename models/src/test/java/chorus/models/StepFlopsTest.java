package chorus.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.models.nn.cost.NetworkFlops;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class StepFlopsTest {

    private final MultimodalVae model = ModelFixtures.model(3, DataType.FLOAT);
    private final Batch batch = ModelFixtures.batch(7, 11, DataType.FLOAT, ModelFixtures.someMissing());

    @Test
    void rowsAreTheObservedRowsAndThePlansFusedRequests() {
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, new double[] {1, 1, 1}, 5);
        StepFlops f = StepFlops.of(model, mvae, batch);
        // presence rows {111, 101, 011, 110, 001}: image 3, label 3, features 4 observed
        assertEquals(List.of(3, 3, 4), f.encoderRows());
        // joint term (reconstructs each observed modality) + that modality's own single term
        assertEquals(List.of(6, 6, 8), f.decoderRows());
    }

    @Test
    void mopoeDecodesEverySubsetOfARowsObservedModalities() {
        Objective mopoe = ElboObjective.mopoe(ModelFixtures.MODALITIES, true, new double[] {1, 1, 1}, 5);
        StepFlops f = StepFlops.of(model, mopoe, batch);
        // subsets per row: 111 -> 7, 101 -> 3, 011 -> 3, 110 -> 3, 001 -> 1; each decodes every observed modality
        // image: 7 + 3 + 3 = 13, label: 7 + 3 + 3 = 13, features: 7 + 3 + 3 + 1 = 14
        assertEquals(List.of(13, 13, 14), f.decoderRows());
        long expected = 0;
        for (int j = 0; j < 3; j++) {
            expected += 3L * f.encoderRows().get(j) * NetworkFlops.forwardPerRow(model.encoders().get(j));
            expected += 3L * f.decoderRows().get(j) * NetworkFlops.forwardPerRow(model.decoders().get(j));
        }
        assertEquals(expected, f.flops());
    }
}
