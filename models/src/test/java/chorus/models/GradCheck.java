package chorus.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences in double precision, the oracle for every hand-derived backward.
 * A vector-valued function f is checked through the scalar L = sum(g * f) for a fixed random g,
 * whose gradient is the backward of f applied to the upstream gradient g.
 */
public final class GradCheck {

    /** Step of the central difference. */
    public static final double STEP = 1e-6;
    /** Largest accepted relative error ||analytic - numeric|| / (||analytic|| + ||numeric||). */
    public static final double TOLERANCE = 1e-6;

    private GradCheck() {
    }

    /**
     * dL/dx by central differences: perturbs each entry of {@code x} in place by +-STEP, re-evaluates
     * {@code loss} (which must read x) and restores the entry. {@code x} must be a DOUBLE array owned by
     * the test, not a view.
     */
    public static INDArray numeric(DoubleSupplier loss, INDArray x) {
        if (x.dataType() != DataType.DOUBLE || x.isView()) {
            throw new IllegalArgumentException("finite differences need a DOUBLE non-view array, got "
                    + x.dataType() + (x.isView() ? " view" : ""));
        }
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, x.shape());
        for (long i = 0; i < x.length(); i++) {
            double original = x.getDouble(i);
            x.putScalar(i, original + STEP);
            double up = loss.getAsDouble();
            x.putScalar(i, original - STEP);
            double down = loss.getAsDouble();
            x.putScalar(i, original);
            grad.putScalar(i, (up - down) / (2 * STEP));
        }
        return grad;
    }

    /** ||a - n||_2 / (||a||_2 + ||n||_2), 0 when both are zero. */
    public static double relativeError(INDArray analytic, INDArray numeric) {
        INDArray a = analytic.castTo(DataType.DOUBLE).reshape(analytic.length());
        INDArray n = numeric.castTo(DataType.DOUBLE).reshape(numeric.length());
        double scale = a.norm2Number().doubleValue() + n.norm2Number().doubleValue();
        return scale == 0.0 ? 0.0 : a.sub(n).norm2Number().doubleValue() / scale;
    }

    /** Asserts that {@code analytic} is dL/dx within {@link #TOLERANCE}. */
    public static void assertGradient(String name, INDArray analytic, INDArray x, DoubleSupplier loss) {
        INDArray numeric = numeric(loss, x);
        double error = relativeError(analytic, numeric);
        assertTrue(numeric.norm2Number().doubleValue() > 0 || analytic.norm2Number().doubleValue() == 0,
                name + ": numeric gradient is zero");
        assertTrue(error < TOLERANCE, name + ": relative error " + error + " >= " + TOLERANCE
                + "\nanalytic " + analytic + "\nnumeric " + numeric);
    }

    /** sum(g * f), the scalar through which a vector-valued f is checked. */
    public static double dot(INDArray g, INDArray f) {
        return g.castTo(DataType.DOUBLE).reshape(g.length()).mul(f.castTo(DataType.DOUBLE).reshape(f.length()))
                .sumNumber().doubleValue();
    }
}
