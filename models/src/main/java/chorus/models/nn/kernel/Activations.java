package chorus.models.nn.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activations the kernels support, applied into preallocated arrays: identity and Swish
 * ({@code x s(x)} with {@code s} the logistic sigmoid; Ramachandran et al. 2017, MVAE's hidden unit).
 * Swish keeps {@code s(x)} from its forward so that its derivative {@code s + f (1 - s)} (f the
 * output) costs no exponential: libnd4j's own Swish derivative evaluates exp and pow per element and
 * took 11 ms per million elements here, this one 1.5 ms.
 */
public enum Activations {
    IDENTITY, SWISH;

    /** The supported activation equal to DL4J's {@code fn}, or null. */
    public static Activations of(IActivation fn) {
        if (fn instanceof ActivationIdentity) {
            return IDENTITY;
        }
        if (fn instanceof ActivationSwish) {
            return SWISH;
        }
        return null;
    }

    /** Whether the forward needs buffers of its own (identity outputs the pre-activation itself). */
    boolean needsBuffer() {
        return this != IDENTITY;
    }

    /**
     * {@code out = f(pre)}, keeping {@code sig = s(pre)} for the backward; for identity nothing is
     * computed ({@code out} and {@code sig} may be null and {@code pre} is returned).
     */
    INDArray forward(INDArray pre, INDArray out, INDArray sig) {
        if (this == IDENTITY) {
            return pre;
        }
        if (VectorMathSupport.AVAILABLE && pre.dataType() == DataType.FLOAT && contiguous(pre, sig, out)) {
            VectorMath.swish(pre.data().asNio(), pre.offset(), sig.data().asNio(), sig.offset(),
                    out.data().asNio(), out.offset(), (int) pre.length());
        } else {
            Nd4j.exec(new Sigmoid(pre, sig));
            Nd4j.exec(new MulOp(pre, sig, out));
        }
        return out;
    }

    /**
     * dL/d(pre) = dL/d(out) * f'(pre) into {@code dPre}, from the forward's {@code sig} and {@code out};
     * for identity {@code dOut} itself.
     */
    INDArray backward(INDArray sig, INDArray out, INDArray dOut, INDArray dPre) {
        if (this == IDENTITY) {
            return dOut;
        }
        if (contiguous(sig, out, dOut, dPre)) {
            swishGrad(sig, out, dOut, dPre);
        } else { // the same formula in four passes
            dPre.assign(sig).rsubi(1.0).muli(out).addi(sig).muli(dOut);
        }
        return dPre;
    }

    /** Elements per block copied into Java arrays (which fit the L1 cache and whose loops vectorise). */
    private static final int BLOCK = 2048;

    /** {@code dPre = dOut (s + f (1 - s))}, one pass over the arrays' memory. */
    private static void swishGrad(INDArray sig, INDArray out, INDArray dOut, INDArray dPre) {
        int n = (int) sig.length();
        int so = (int) sig.offset(), fo = (int) out.offset(), go = (int) dOut.offset(), dOff = (int) dPre.offset();
        if (sig.dataType() == DataType.FLOAT) {
            FloatBuffer s = sig.data().asNioFloat();
            FloatBuffer f = out.data().asNioFloat();
            FloatBuffer g = dOut.data().asNioFloat();
            FloatBuffer d = dPre.data().asNioFloat();
            float[] sa = new float[BLOCK], fa = new float[BLOCK], ga = new float[BLOCK];
            for (int start = 0; start < n; start += BLOCK) {
                int len = Math.min(BLOCK, n - start);
                s.get(so + start, sa, 0, len);
                f.get(fo + start, fa, 0, len);
                g.get(go + start, ga, 0, len);
                for (int i = 0; i < len; i++) {
                    ga[i] *= sa[i] + fa[i] * (1f - sa[i]);
                }
                d.put(dOff + start, ga, 0, len);
            }
        } else {
            DoubleBuffer s = sig.data().asNioDouble();
            DoubleBuffer f = out.data().asNioDouble();
            DoubleBuffer g = dOut.data().asNioDouble();
            DoubleBuffer d = dPre.data().asNioDouble();
            for (int i = 0; i < n; i++) {
                double si = s.get(so + i);
                d.put(dOff + i, g.get(go + i) * (si + f.get(fo + i) * (1 - si)));
            }
        }
    }

    private static boolean contiguous(INDArray... arrays) {
        DataType type = arrays[0].dataType();
        for (INDArray a : arrays) {
            boolean plain = a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.dataType() == type
                    && (type == DataType.FLOAT || type == DataType.DOUBLE) && a.length() == arrays[0].length()
                    && a.offset() + a.length() <= Integer.MAX_VALUE;
            if (!plain) {
                return false;
            }
        }
        return true;
    }
}
