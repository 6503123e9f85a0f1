package chorus.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class MissingModalitiesTest {

    private final Dataset tiny = DataFixtures.tiny(100);

    @Test
    void eachModalityLacksExactlyTheRoundedFraction() {
        Dataset masked = MissingModalities.apply(tiny, Map.of("a", 0.304, "c", 0.5), 7);
        assertEquals(Map.of("a", 30L, "b", 0L, "c", 50L), MissingModalities.countMissing(masked));
    }

    @Test
    void noRowLacksEveryModalityEvenAtTheLimit() {
        Dataset masked = MissingModalities.apply(tiny, Map.of("a", 0.7, "b", 0.7, "c", 0.6), 3);
        INDArray observed = masked.presence().sum(1); // [N]
        assertEquals(1.0, observed.minNumber().doubleValue());
        assertEquals(Map.of("a", 70L, "b", 70L, "c", 60L), MissingModalities.countMissing(masked));
    }

    @Test
    void sameSeedGivesTheSameMask() {
        Map<String, Double> fractions = Map.of("a", 0.4, "b", 0.2);
        assertEquals(MissingModalities.apply(tiny, fractions, 11).presence(),
                MissingModalities.apply(tiny, fractions, 11).presence());
    }

    @Test
    void anotherSeedGivesAnotherMask() {
        Map<String, Double> fractions = Map.of("a", 0.4, "b", 0.2);
        assertNotEquals(MissingModalities.apply(tiny, fractions, 11).presence(),
                MissingModalities.apply(tiny, fractions, 12).presence());
    }

    @Test
    void absentValuesAreZeroInBatches() {
        Dataset masked = MissingModalities.apply(tiny, Map.of("c", 0.5), 5);
        int[] rows = new int[100];
        java.util.Arrays.setAll(rows, i -> i);
        Batch batch = masked.batch(0, rows);
        INDArray c = batch.tensor("c"); // [100, 4]
        for (int i = 0; i < 100; i++) {
            float expected = batch.presence().getFloat(i, 2) == 0f ? 0f : i + 1;
            assertEquals(expected, c.getFloat(i, 3), "row " + i);
        }
    }

    @Test
    void fractionOfOneIsRejectedNamingTheModality() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MissingModalities.apply(tiny, Map.of("b", 1.0), 1));
        assertEquals("missing fraction for modality 'b' is 1.0, expected a value in [0, 1)", e.getMessage());
    }

    @Test
    void negativeFractionIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MissingModalities.apply(tiny, Map.of("a", -0.1), 1));
    }

    @Test
    void unknownModalityIsRejectedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MissingModalities.apply(tiny, Map.of("audio", 0.1), 1));
        assertTrue(e.getMessage().startsWith("missing fraction for modality 'audio'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected one of [a, b, c]"), e.getMessage());
    }

    @Test
    void fractionsThatWouldEmptyARowAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MissingModalities.apply(tiny, Map.of("a", 0.9, "b", 0.9, "c", 0.3), 1));
        assertTrue(e.getMessage().contains("remove 210 modality values from 100 rows"), e.getMessage());
    }
}
