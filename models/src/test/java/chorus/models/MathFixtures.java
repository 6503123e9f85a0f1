package chorus.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.posterior.Gaussian;
import chorus.models.posterior.Noise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tiny, seeded, double-precision fixtures for the math tests, and the array assertions they share.
 * Every array is freshly allocated, so a test may perturb it (finite differences) without affecting
 * another test.
 */
public final class MathFixtures {

    private MathFixtures() {
    }

    /** {@code [rows, cols]} DOUBLE with entries N(0, scale^2), a function of the seed. */
    public static INDArray normal(long seed, int rows, int cols, double scale) {
        return Noise.standardNormal(seed, DataType.DOUBLE, rows, cols).muli(scale);
    }

    /** {@code [rows, cols]} DOUBLE with entries uniform in [lo, hi), a function of the seed. */
    public static INDArray uniform(long seed, int rows, int cols, double lo, double hi) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = lo + (hi - lo) * random.nextDouble();
        }
        return Nd4j.create(values, new long[] {rows, cols}, DataType.DOUBLE);
    }

    /** An expert {@code [rows, dim]}: mu ~ N(0, 1), logvar ~ U(-1, 1). */
    public static Gaussian expert(long seed, int rows, int dim) {
        return new Gaussian(normal(seed, rows, dim, 1.0), uniform(seed + 1000, rows, dim, -1.0, 1.0));
    }

    /** M distinct experts {@code [rows, dim]} (seeds seed, seed+1, ...). */
    public static List<Gaussian> experts(long seed, int m, int rows, int dim) {
        List<Gaussian> experts = new ArrayList<>();
        for (int e = 0; e < m; e++) {
            experts.add(expert(seed + 17L * e, rows, dim));
        }
        return experts;
    }

    /** A DOUBLE matrix from literal rows, e.g. a presence mask or a subset matrix. */
    public static INDArray matrix(double[]... rows) {
        return Nd4j.create(rows);
    }

    /** A DOUBLE vector from literal values. */
    public static INDArray vector(double... values) {
        return Nd4j.create(values, new long[] {values.length}, DataType.DOUBLE);
    }

    /** All-ones presence {@code [rows, m]}. */
    public static INDArray allPresent(int rows, int m) {
        return Nd4j.ones(DataType.DOUBLE, rows, m);
    }

    /** Same shape and every |expected - actual| <= tolerance. */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance, "max |expected - actual| = " + diff + " > " + tolerance
                + "\nexpected " + expected + "\nactual " + actual);
    }

    /** Every entry is exactly zero (either sign). */
    public static void assertExactlyZero(String what, INDArray actual) {
        assertTrue(actual.amaxNumber().doubleValue() == 0.0, what + " should be exactly zero: " + actual);
    }

    /** Every entry is finite. */
    public static void assertFinite(String what, INDArray actual) {
        double[] values = actual.castTo(DataType.DOUBLE).data().asDouble();
        assertTrue(Arrays.stream(values).allMatch(Double::isFinite), what + " holds NaN or Inf: " + actual);
    }
}
