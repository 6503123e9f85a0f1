package chorus.models.posterior;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.matrix;
import static chorus.models.MathFixtures.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class SubsetsTest {

    @Test
    void allNonEmptyHasTwoToTheMMinusOneDistinctNonEmptyRows() {
        INDArray subsets = Subsets.allNonEmpty(5);
        Set<String> rows = new HashSet<>();
        for (int t = 0; t < subsets.rows(); t++) {
            assertTrue(subsets.getRow(t).sumNumber().doubleValue() >= 1, "row " + t + " is empty");
            rows.add(Arrays.toString(subsets.getRow(t).toDoubleVector()));
        }
        assertEquals(31, subsets.rows());
        assertEquals(31, rows.size());
    }

    @Test
    void allNonEmptyEnumeratesInBinaryCountingOrder() {
        assertClose(matrix(new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {1, 1, 0},
                new double[] {0, 0, 1}, new double[] {1, 0, 1}, new double[] {0, 1, 1}, new double[] {1, 1, 1}),
                Subsets.allNonEmpty(3), 0.0);
    }

    @Test
    void allNonEmptyRejectsMoreThanTwentyModalities() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Subsets.allNonEmpty(21));
        assertTrue(e.getMessage().contains("21") && e.getMessage().contains("20"), e.getMessage());
    }

    @Test
    void randomSubsetsAreNonEmptyAndAFunctionOfTheSeed() {
        INDArray a = Subsets.random(50, 3, 42);
        assertClose(a, Subsets.random(50, 3, 42), 0.0);
        assertTrue(a.sum(1).minNumber().doubleValue() >= 1);
        assertEquals(3, a.columns());
    }

    @Test
    void validRowsAnyObservedNeedsOneSharedModality() {
        INDArray subsets = matrix(new double[] {1, 0}, new double[] {1, 1});
        INDArray presence = matrix(new double[] {0, 1}, new double[] {1, 1});
        INDArray valid = Subsets.validRows(subsets, presence, Subsets.Rule.ANY_OBSERVED);
        assertClose(vector(0, 1, 1, 1), valid, 0.0);
    }

    @Test
    void validRowsAllObservedNeedsTheWholeSubset() {
        INDArray subsets = matrix(new double[] {1, 0}, new double[] {1, 1});
        INDArray presence = matrix(new double[] {0, 1}, new double[] {1, 1});
        INDArray valid = Subsets.validRows(subsets, presence, Subsets.Rule.ALL_OBSERVED);
        assertClose(vector(0, 1, 0, 1), valid, 0.0);
    }

    @Test
    void effectiveMaskIsSubsetIntersectPresenceTermMajor() {
        INDArray subsets = matrix(new double[] {1, 1, 0}, new double[] {0, 1, 1});
        INDArray presence = matrix(new double[] {1, 0, 1}, new double[] {1, 1, 1});
        assertClose(matrix(new double[] {1, 0, 0}, new double[] {1, 1, 0}, new double[] {0, 0, 1}, new double[] {0, 1, 1}),
                Subsets.effective(subsets, presence), 0.0);
    }

    @Test
    void stackConcatenatesTermsInOrder() {
        INDArray stacked = Subsets.stack(Subsets.all(3), Subsets.singles(3), Subsets.random(2, 3, 1));
        assertEquals(6, stacked.rows());
        assertClose(Subsets.singles(3).getRow(2), stacked.getRow(3), 0.0);
    }

    @Test
    void validRowsRejectsPresenceWithWrongModalityCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Subsets.validRows(Subsets.singles(3), matrix(new double[] {1, 1}), Subsets.Rule.ANY_OBSERVED));
        assertTrue(e.getMessage().contains("presence mask") && e.getMessage().contains("[1, 2]"), e.getMessage());
    }
}
