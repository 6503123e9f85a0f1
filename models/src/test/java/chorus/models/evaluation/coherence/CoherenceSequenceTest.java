package chorus.models.evaluation.coherence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.data.SequenceText;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image-to-text coherence counts the rows whose greedy text from q(z | image) is the row's own. */
class CoherenceSequenceTest {

    private static final PosteriorRule RULE = new PosteriorRule(chorus.models.ModelSettings.Combination.POE, true);

    @Test
    void countsExactlyTheRowsWhoseTextIsTheOneDecodedFromTheImage() {
        MultimodalVae model = ModelFixtures.sequenceModel(9, DataType.DOUBLE);
        double[][] both = {{1, 1}, {1, 1}, {1, 1}, {1, 1}};
        Batch batch = ModelFixtures.sequenceBatch(0, 3, DataType.DOUBLE, both);
        INDArray z = Generation.posterior(model, RULE, batch, List.of("image")).mean();
        INDArray decoded = Generation.decode(model, 1, z);
        INDArray text = Nd4j.zeros(DataType.DOUBLE, 4, 12);
        for (int r = 0; r < 4; r++) {
            String own = SequenceText.of(ModelFixtures.TEXT, decoded, r);
            String other = own.length() < 3 ? own + "0" : own.substring(1); // a different text
            float[] row = SequenceText.oneHot(ModelFixtures.TEXT, r < 3 ? own : other, "text");
            text.putRow(r, Nd4j.create(row).castTo(DataType.DOUBLE));
        }
        Batch withText = new Batch(0, ModelFixtures.SEQUENCE_MODALITIES, List.of(batch.tensors().get(0), text),
                batch.presence(), null);
        assertEquals(new Coherence.Count(3, 4), Coherence.imageToSequence(model, RULE, withText, 0, 1));
    }
}
