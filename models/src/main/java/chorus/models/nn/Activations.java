package chorus.models.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SwishDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activations the kernels support, applied into preallocated arrays: identity and Swish
 * ({@code x * sigmoid(x)}, Ramachandran et al. 2017, MVAE's hidden unit), whose derivative is
 * {@code s(x) + x s(x) (1 - s(x))}.
 */
enum Activations {
    IDENTITY, SWISH;

    /** The supported activation equal to DL4J's {@code fn}, or null. */
    static Activations of(IActivation fn) {
        if (fn instanceof ActivationIdentity) {
            return IDENTITY;
        }
        if (fn instanceof ActivationSwish) {
            return SWISH;
        }
        return null;
    }

    /** Whether the forward needs its own output buffer (identity outputs the pre-activation itself). */
    boolean needsBuffer() {
        return this != IDENTITY;
    }

    /** {@code out = f(pre)}; for identity nothing is computed ({@code out} is {@code pre}). */
    INDArray forward(INDArray pre, INDArray out) {
        if (this == IDENTITY) {
            return pre;
        }
        Nd4j.exec(new Swish(pre, out));
        return out;
    }

    /**
     * dL/d(pre) = dL/d(out) * f'(pre), into {@code dPre} (which may be {@code dOut} itself for identity).
     */
    INDArray backward(INDArray pre, INDArray dOut, INDArray dPre) {
        if (this == IDENTITY) {
            return dOut;
        }
        Nd4j.exec(new SwishDerivative(pre, dPre)); // [same as pre]
        return dPre.muli(dOut);
    }
}
