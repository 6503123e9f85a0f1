package chorus.actors;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The NaN/Inf guard: a non-finite loss or gradient stops the run with a message naming where it arose. */
final class Finite {

    private Finite() {
    }

    /** Throws {@link NonFiniteException} if {@code values} holds NaN or Inf. */
    static void require(INDArray values, String what, long step) {
        if (values.isNaN().any() || values.isInfinite().any()) {
            throw new NonFiniteException(what + " is NaN or Inf at step " + step);
        }
    }

    /** A loss or gradient went NaN/Inf: training cannot continue from this state. */
    static final class NonFiniteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFiniteException(String message) {
            super(message);
        }
    }
}
