package chorus.tools.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.StoredSplit;
import chorus.models.MultimodalVae;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.MlpNetworks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class MemoryPlanTest {

    private static final Modality IMAGE = Modality.image("image", 1, 2, 3, LikelihoodKind.BERNOULLI); // 6 values
    private static final NetworkOptions FLOAT = NetworkOptions.of(1).withDataType(DataType.FLOAT);

    /** Encoder 6 -> 4 -> 4 (48 parameters, 40 training / 16 inference values per row); decoder 2 -> 4 -> 6 (42; 36 / 18). */
    private static MultimodalVae tiny() {
        return new MultimodalVae(List.of(IMAGE), List.of(MlpNetworks.encoder(6, List.of(4), 2, FLOAT)),
                List.of(MlpNetworks.decoder(2, List.of(4), 6, FLOAT)), List.of(Likelihoods.of(LikelihoodKind.BERNOULLI, 1)), 2);
    }

    private static final List<StoredSplit> FIVE_ROWS = List.of(new StoredSplit(5, List.of(IMAGE), List.of(DataType.FLOAT)));

    @Test
    void synchronousPlanAddsDataTwelveParameterCopiesActivationsAndBatches() {
        MemoryPlan plan = MemoryPlan.training(FIVE_ROWS, tiny(), new MemoryPlan.Training(10, List.of(10), List.of(30), 1, 2,
                List.of(1), 1, false));
        assertEquals(5 * (6 * 4 + 4), plan.data());                          // 140: floats and presence
        assertEquals(4 * (48 + 42) * (5 + 3 + 3 + 1), plan.parameters());     // 4,320: training, undo, snapshot, evaluator
        assertEquals(4 * (10 * (40 + 16) + 30 * (36 + 18)), plan.activations()); // 8,720
        assertEquals(4 * (2 + 1) * 10 * 6, plan.batches());                   // 720
        assertEquals(140 + 4320 + 8720 + 720, plan.total());
    }

    @Test
    void stepsInFlightThreadsAndReplicasAddTheirCopies() {
        MemoryPlan plan = MemoryPlan.training(FIVE_ROWS, tiny(), new MemoryPlan.Training(10, List.of(10), List.of(30), 2, 2,
                List.of(2), 2, false));
        int copies = (5 + 3 + 1) + 3 + 1 + 4 * 1 + 1 * (5 + 3 + 1); // + a partial gradient, a copy in flight, a replica: 26
        assertEquals(4 * (48 + 42) * copies, plan.parameters());
        assertEquals(4 * (10 * (2 * 40 + 16) + 30 * (2 * 36 + 18)), plan.activations());
    }

    @Test
    void aCoordinatorThatCanReplaceALostNodeKeepsOneMoreSnapshot() {
        MemoryPlan.Training sync = new MemoryPlan.Training(10, List.of(10), List.of(30), 1, 2, List.of(1), 1, false);
        MemoryPlan.Training elastic = new MemoryPlan.Training(10, List.of(10), List.of(30), 1, 2, List.of(1), 1, true);
        assertEquals(4 * (48 + 42) * 3, MemoryPlan.training(FIVE_ROWS, tiny(), elastic).parameters()
                - MemoryPlan.training(FIVE_ROWS, tiny(), sync).parameters()); // params, Adam m and v of every network
    }

    @Test
    void bytesStoredImagesCountOneBytePerValue() {
        StoredSplit bytes = new StoredSplit(5, List.of(IMAGE), List.of(DataType.UINT8));
        assertEquals(5 * (6 + 4), MemoryPlan.data(List.of(bytes)).data() / 2);
    }

    @Test
    void capsGrowThePlanForJavacppAndAddTheResidentOverheadForTheResidentSet() {
        MemoryPlan plan = new MemoryPlan(100L << 20, 0, 0, 0, 0);
        JvmCaps caps = JvmCaps.of(plan, 256L << 20);
        assertEquals((130L << 20) + JvmCaps.MARGIN, caps.maxBytes());
        assertEquals((100L << 20) + JvmCaps.RESIDENT, caps.maxPhysicalBytes());
    }
}
