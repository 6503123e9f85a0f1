package chorus.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {

    private final Dataset tiny = DataFixtures.tiny(10);

    private static List<int[]> rows(BatchIterator batches, int count) {
        List<int[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(batches.next().rows());
        }
        return rows;
    }

    @Test
    void anEpochVisitsEveryRowOnce() {
        int[] seen = rows(new BatchIterator(tiny, 3, 9, false, BatchIterator.Cursor.START), 4).stream()
                .flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, seen);
    }

    @Test
    void anInputConversionChangesEachBatchButNotItsRowsOrTheCursor() {
        BatchIterator plain = new BatchIterator(tiny, 3, 9, true, BatchIterator.Cursor.START);
        BatchIterator doubled = new BatchIterator(tiny, 3, 9, true, BatchIterator.Cursor.START, b -> new Batch(b.step(),
                b.modalities(), b.tensors().stream().map(t -> t.mul(2)).toList(), b.presence(), b.rows()));
        for (int i = 0; i < 4; i++) {
            Batch a = plain.next();
            Batch b = doubled.next();
            assertArrayEquals(a.rows(), b.rows());
            assertEquals(a.tensors().get(0).mul(2), b.tensors().get(0));
        }
        assertEquals(plain.cursor(), doubled.cursor());
    }

    @Test
    void theSameSeedGivesTheSameBatches() {
        List<int[]> first = rows(BatchIterator.training(tiny, 3, 4), 7);
        List<int[]> second = rows(BatchIterator.training(tiny, 3, 4), 7);
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i));
        }
    }

    @Test
    void eachEpochIsShuffledAnew() {
        BatchIterator batches = BatchIterator.training(tiny, 5, 4);
        int[] epoch0 = concat(rows(batches, 2));
        int[] epoch1 = concat(rows(batches, 2));
        assertFalse(Arrays.equals(epoch0, epoch1));
    }

    @Test
    void aRestoredCursorContinuesIdentically() {
        BatchIterator original = BatchIterator.training(tiny, 3, 8);
        rows(original, 5);
        BatchIterator.Cursor cursor = original.cursor();
        BatchIterator resumed = new BatchIterator(tiny, 3, 8, true, cursor);
        for (int i = 0; i < 6; i++) {
            Batch expected = original.next();
            Batch actual = resumed.next();
            assertEquals(expected.step(), actual.step());
            assertArrayEquals(expected.rows(), actual.rows());
        }
    }

    @Test
    void seekingBackToACursorHandsOutTheSameBatchesAgainAcrossEpochs() {
        BatchIterator batches = BatchIterator.training(tiny, 3, 8);
        rows(batches, 2);
        BatchIterator.Cursor at = batches.cursor();
        List<Batch> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // into the next epoch (3 batches per epoch)
            first.add(batches.next());
        }
        batches.seek(at);
        for (Batch expected : first) {
            Batch again = batches.next();
            assertEquals(expected.step(), again.step());
            assertArrayEquals(expected.rows(), again.rows());
        }
    }

    @Test
    void dropLastSkipsThePartialBatchAndStepsCountOn() {
        BatchIterator batches = BatchIterator.training(tiny, 4, 1);
        assertEquals(2, batches.batchesPerEpoch());
        rows(batches, 2);
        assertEquals(new BatchIterator.Cursor(1, 0), batches.cursor());
        assertEquals(2, batches.next().step());
    }

    @Test
    void keepingTheLastBatchServesTheRemainder() {
        BatchIterator batches = BatchIterator.inOrder(tiny, 4);
        List<int[]> epoch = rows(batches, 3);
        assertArrayEquals(new int[] {8, 9}, epoch.get(2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, batches.next().rows());
    }

    @Test
    void presenceTravelsWithTheRowsAndAbsentValuesAreZero() {
        Dataset masked = MissingModalities.apply(tiny, Map.of("a", 0.5), 2);
        Batch batch = BatchIterator.training(masked, 5, 6).next();
        for (int i = 0; i < batch.size(); i++) {
            float present = masked.presence().getFloat(batch.rows()[i], 0);
            assertEquals(present, batch.presence().getFloat(i, 0));
            assertEquals(present * (batch.rows()[i] + 1), batch.tensor("a").getFloat(i, 2));
        }
    }

    @Test
    void aBatchLargerThanTheDataIsRejectedWhenDroppingTheLast() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchIterator.training(tiny, 11, 1));
        assertEquals("tiny/train: 10 rows give no batch of 11 (the partial batch is dropped), expected at least one",
                e.getMessage());
    }

    @Test
    void aCursorOffABatchBoundaryIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new BatchIterator(tiny, 3, 1, true, new BatchIterator.Cursor(0, 4)));
    }

    private static int[] concat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
