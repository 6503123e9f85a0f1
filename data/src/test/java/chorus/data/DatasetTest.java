package chorus.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DatasetTest {

    private final Dataset tiny = DataFixtures.tiny(4);

    @Test
    void withPresenceSharesTheTensorsAndReplacesTheMask() {
        INDArray mask = Nd4j.ones(DataType.FLOAT, 4, 3);
        mask.putScalar(1, 2, 0f);
        Dataset masked = tiny.withPresence(mask);
        assertSame(tiny.data(0), masked.data(0));
        assertEquals(0f, masked.presence().getFloat(1, 2));
        assertEquals(1f, tiny.presence().getFloat(1, 2));
    }

    @Test
    void batchesCutTheRowsInOrderWithTheLastPartialAndStepsCountingFromZero() {
        List<Batch> batches = new ArrayList<>();
        tiny.batches(new int[] {3, 1, 0}, 2).forEach(batches::add);
        assertEquals(2, batches.size());
        assertArrayEquals(new int[] {3, 1}, batches.get(0).rows());
        assertArrayEquals(new int[] {0}, batches.get(1).rows());
        assertEquals(1, batches.get(1).step());
        assertArrayEquals(new int[] {0, 1}, tiny.firstRows(2));
        assertEquals(4, tiny.firstRows(0).length);
    }

    @Test
    void presenceOfTheWrongShapeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tiny.withPresence(Nd4j.ones(DataType.FLOAT, 4, 2)));
        assertEquals("tiny/train: presence mask [4, 2], expected [4, 3]", e.getMessage());
    }

    @Test
    void presenceValuesOtherThanZeroAndOneAreRejected() {
        INDArray mask = Nd4j.ones(DataType.FLOAT, 4, 3);
        mask.putScalar(0, 0, 0.5f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tiny.withPresence(mask));
        assertTrue(e.getMessage().contains("1 values other than 0 and 1"), e.getMessage());
    }

    @Test
    void tensorOfTheWrongWidthIsRejectedNamingTheModality() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fullyObserved("d", "train", "here", tiny.modalities(),
                        java.util.List.of(tiny.data(0), tiny.data(0), tiny.data(2)), null));
        assertTrue(e.getMessage().contains("modality 'b' is FLOAT [4, 3], expected FLOAT [4, 2]"), e.getMessage());
    }
}
