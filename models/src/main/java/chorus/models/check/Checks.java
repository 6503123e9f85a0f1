package chorus.models.check;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Argument checks shared by the posterior and likelihood math and by the actors that feed them. Each failure is an
 * {@link IllegalArgumentException} whose message names the argument, what was found and what was
 * expected, so a bad tensor sent between actors is reported where it enters the math.
 */
public final class Checks {

    private Checks() {
    }

    /** A tensor holds NaN or Inf: unlike other bad arguments, recomputing it from the same inputs repeats it. */
    public static final class NonFiniteException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        NonFiniteException(String message) {
            super(message);
        }
    }

    /** {@code array} is a non-null matrix {@code [rows, cols]}; returns it. */
    public static INDArray matrix(String name, INDArray array) {
        if (array == null) {
            throw new IllegalArgumentException(name + ": null, expected a matrix [rows, cols]");
        }
        if (array.rank() != 2) {
            throw new IllegalArgumentException(name + ": shape " + shape(array) + ", expected a matrix [rows, cols]");
        }
        return array;
    }

    /** {@code array} is a non-null vector of {@code length} values (rank 1, or a row/column matrix). */
    public static INDArray vector(String name, INDArray array, long length) {
        if (array == null) {
            throw new IllegalArgumentException(name + ": null, expected a vector [" + length + "]");
        }
        if (!array.isVectorOrScalar() || array.length() != length) {
            throw new IllegalArgumentException(name + ": shape " + shape(array) + ", expected a vector [" + length + "]");
        }
        return array;
    }

    /** {@code array} has exactly {@code expected} as its shape. */
    public static INDArray shape(String name, INDArray array, long... expected) {
        if (array == null || !Arrays.equals(array.shape(), expected)) {
            throw new IllegalArgumentException(name + ": shape " + (array == null ? "null" : shape(array))
                    + ", expected " + Arrays.toString(expected));
        }
        return array;
    }

    /** {@code array} holds no NaN or infinity. */
    public static INDArray finite(String name, INDArray array) {
        // A finite sum proves every entry finite and is one fast reduction; only a non-finite sum (a NaN
        // or infinity, or finite values overflowing) pays for the element-wise test.
        if (array.length() == 0 || Double.isFinite(array.sumNumber().doubleValue())) {
            return array;
        }
        if (BooleanIndexing.or(array, Conditions.notFinite())) {
            throw new NonFiniteException(name + ": shape " + shape(array)
                    + " holds NaN or infinite values, expected finite values");
        }
        return array;
    }

    /** {@code array} holds only 0 and 1 (a mask). */
    public static INDArray binary(String name, INDArray array) {
        finite(name, array);
        if (array.length() > 0 && array.mul(array.rsub(1.0)).amaxNumber().doubleValue() != 0.0) {
            throw new IllegalArgumentException(name + ": shape " + shape(array)
                    + " holds values other than 0 and 1, expected a 0/1 mask");
        }
        return array;
    }

    /** {@code array} has the same data type as {@code reference} (named {@code referenceName}). */
    public static INDArray sameType(String name, INDArray array, String referenceName, INDArray reference) {
        if (array.dataType() != reference.dataType()) {
            throw new IllegalArgumentException(name + ": data type " + array.dataType() + ", expected "
                    + reference.dataType() + " like " + referenceName);
        }
        return array;
    }

    /** {@code items} (e.g. the experts) has one entry per modality of {@code names}. */
    public static <T> java.util.List<T> onePerModality(String name, java.util.List<T> items, java.util.List<String> names) {
        if (items == null || items.size() != names.size()) {
            throw new IllegalArgumentException(name + ": " + (items == null ? "null" : items.size())
                    + ", expected one per modality " + names);
        }
        return items;
    }

    /** {@code value >= 1}. */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + ", expected at least 1");
        }
        return value;
    }

    /** The shape of {@code array} as {@code [a, b]}. */
    public static String shape(INDArray array) {
        return Arrays.toString(array.shape());
    }
}
