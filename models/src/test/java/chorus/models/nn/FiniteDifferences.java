package chorus.models.nn;

import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences for gradient checks in double precision.
 *
 * <p>The error measure is relative, {@code |a - n| / max(|a|, |n|)}, with magnitudes below
 * {@link #FLOOR} compared absolutely against it, because a relative error of a near-zero gradient
 * measures only the finite difference's round-off.
 */
public final class FiniteDifferences {

    /**
     * Step of the central difference: truncation error ~h^2 = 1e-10, round-off ~1e-16 |L| / h = 1e-11 |L|.
     * With h = 1e-6 the round-off of a loss summed over a conv network's outputs reached 1.7e-7 of a
     * 1e-3 gradient; 1e-5 keeps the worst error near 1e-8, far below the 1e-6 tolerance.
     */
    public static final double STEP = 1e-5;
    /** Gradients smaller than this are compared absolutely (|a - n| / FLOOR). */
    public static final double FLOOR = 1e-3;

    private FiniteDifferences() {
    }

    /** (f(v + h e_i) - f(v - h e_i)) / 2h, perturbing flat element {@code i} of {@code v} in place and restoring it. */
    public static double derivative(ToDoubleFunction<INDArray> f, INDArray v, long i) {
        double original = v.getDouble(i);
        v.putScalar(i, original + STEP);
        double plus = f.applyAsDouble(v);
        v.putScalar(i, original - STEP);
        double minus = f.applyAsDouble(v);
        v.putScalar(i, original);
        return (plus - minus) / (2 * STEP);
    }

    /** The error measure described on the class. */
    public static double error(double analytic, double numeric) {
        double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), FLOOR);
        return Math.abs(analytic - numeric) / scale;
    }

    /** The loss L = sum(W ⊙ out) whose gradient dL/d(out) is W. */
    public static double linear(INDArray weights, INDArray out) {
        return weights.mul(out).sumNumber().doubleValue();
    }
}
