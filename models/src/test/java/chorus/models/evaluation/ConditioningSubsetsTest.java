package chorus.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConditioningSubsetsTest {

    @Test
    void everyNonEmptySubsetBySizeThenModalityOrder() {
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("a", "b"), List.of("a", "c"),
                List.of("b", "c"), List.of("a", "b", "c")), ConditioningSubsets.of(List.of("a", "b", "c")));
    }

    @Test
    void manyModalitiesGiveSinglesLeaveOneOutAndAll() {
        List<String> eight = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        List<List<String>> s = ConditioningSubsets.of(eight);
        assertEquals(17, s.size());
        assertEquals(List.of("h"), s.get(7));
        assertEquals(List.of("b", "c", "d", "e", "f", "g", "h"), s.get(8));
        assertEquals(eight, s.get(16));
    }
}
