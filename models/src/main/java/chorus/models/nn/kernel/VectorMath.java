package chorus.models.nn.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise loops over float arrays in SIMD registers (the JDK's incubating Vector API). libnd4j's
 * sigmoid runs one element at a time: 2.5 ms per 627,200 floats on one core here.
 * Callers check {@link VectorMathSupport#AVAILABLE} first: this class links only when the JVM was
 * started with {@code --add-modules jdk.incubator.vector} (the build's JVM flags add it).
 */
final class VectorMath {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    // exp(x) = 2^k exp(r), k = round(x / ln 2), r = x - k ln 2 (ln 2 in two parts, Cody and Waite), exp(r)
    // by Cephes' expf polynomial (about 1 ulp); x clamped so that 2^k stays a normal float
    private static final float LO = -87.0f;
    private static final float HI = 88.0f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: t + ROUND - ROUND rounds t to an integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private VectorMath() {
    }

    /**
     * {@code sig = s(pre)}, {@code out = pre * sig} over {@code n} floats at element offsets
     * {@code pre0}, {@code sig0}, {@code out0} of the given buffers (s the logistic sigmoid). Only
     * IEEE additions, multiplications, divisions and conversions, in the same order in the SIMD loop and
     * its scalar tail: the result is the same whether the JIT has compiled the loop to SIMD instructions
     * yet or not (the Vector API's own exponential is SVML's once compiled and {@code Math.exp} before,
     * which made two runs of one configuration differ in the last bits).
     */
    static void swish(ByteBuffer pre, long pre0, ByteBuffer sig, long sig0, ByteBuffer out, long out0, int n) {
        ByteBuffer p = pre.order(ORDER);
        ByteBuffer s = sig.order(ORDER);
        ByteBuffer o = out.order(ORDER);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromByteBuffer(S, p, bytes(pre0 + i), ORDER);
            FloatVector sg = one.div(exp(x.neg()).add(one));
            sg.intoByteBuffer(s, bytes(sig0 + i), ORDER);
            x.mul(sg).intoByteBuffer(o, bytes(out0 + i), ORDER);
        }
        for (; i < n; i++) {
            float x = p.getFloat(bytes(pre0 + i));
            float sg = 1f / (exp(-x) + 1f);
            s.putFloat(bytes(sig0 + i), sg);
            o.putFloat(bytes(out0 + i), x * sg);
        }
    }

    /**
     * One Adam step over floats {@code [0, n)} at element offsets {@code g0} (the gradient), {@code m0},
     * {@code v0} (the moments) and {@code p0} (the parameters): {@code m = b1 m + (1 - b1) g},
     * {@code v = b2 v + (1 - b2) g g}, {@code p -= alpha m / (sqrt(v) + eps)}, in that order of operations
     * in the SIMD loop and its tail alike (the square root of a float is correctly rounded either way).
     * With {@code keep} (else null) the moments and parameters as they were before the step are written
     * there in the same pass, at element offsets {@code keep.m0}, {@code keep.v0}, {@code keep.p0}: an undo
     * copy that costs three more streams instead of a separate pass over six.
     */
    static void adam(ByteBuffer g, long g0, ByteBuffer m, long m0, ByteBuffer v, long v0, ByteBuffer p, long p0, int n,
                     float beta1, float beta2, float eps, float alpha, Keep keep) {
        ByteBuffer gb = g.order(ORDER);
        ByteBuffer mb = m.order(ORDER);
        ByteBuffer vb = v.order(ORDER);
        ByteBuffer pb = p.order(ORDER);
        ByteBuffer kp = keep == null ? null : keep.params().order(ORDER);
        ByteBuffer ks = keep == null ? null : keep.state().order(ORDER);
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gi = FloatVector.fromByteBuffer(S, gb, bytes(g0 + i), ORDER);
            FloatVector m1 = FloatVector.fromByteBuffer(S, mb, bytes(m0 + i), ORDER);
            FloatVector v1 = FloatVector.fromByteBuffer(S, vb, bytes(v0 + i), ORDER);
            FloatVector p1 = FloatVector.fromByteBuffer(S, pb, bytes(p0 + i), ORDER);
            if (keep != null) {
                m1.intoByteBuffer(ks, bytes(keep.m0() + i), ORDER);
                v1.intoByteBuffer(ks, bytes(keep.v0() + i), ORDER);
                p1.intoByteBuffer(kp, bytes(keep.p0() + i), ORDER);
            }
            FloatVector mi = m1.mul(beta1).add(gi.mul(c1));
            FloatVector vi = v1.mul(beta2).add(gi.mul(c2).mul(gi));
            FloatVector step = mi.mul(alpha).div(vi.lanewise(VectorOperators.SQRT).add(eps));
            mi.intoByteBuffer(mb, bytes(m0 + i), ORDER);
            vi.intoByteBuffer(vb, bytes(v0 + i), ORDER);
            p1.sub(step).intoByteBuffer(pb, bytes(p0 + i), ORDER);
        }
        for (; i < n; i++) {
            float gi = gb.getFloat(bytes(g0 + i));
            float m1 = mb.getFloat(bytes(m0 + i));
            float v1 = vb.getFloat(bytes(v0 + i));
            float p1 = pb.getFloat(bytes(p0 + i));
            if (keep != null) {
                ks.putFloat(bytes(keep.m0() + i), m1);
                ks.putFloat(bytes(keep.v0() + i), v1);
                kp.putFloat(bytes(keep.p0() + i), p1);
            }
            float mi = m1 * beta1 + gi * c1;
            float vi = v1 * beta2 + gi * c2 * gi;
            float step = mi * alpha / ((float) Math.sqrt(vi) + eps);
            mb.putFloat(bytes(m0 + i), mi);
            vb.putFloat(bytes(v0 + i), vi);
            pb.putFloat(bytes(p0 + i), p1 - step);
        }
    }

    /**
     * Where {@link #adam} copies the state before its step: the parameters into {@code params} at element
     * {@code p0}, the moments into {@code state} at elements {@code m0} and {@code v0}.
     */
    record Keep(ByteBuffer params, long p0, ByteBuffer state, long m0, long v0) {
    }

    /** exp of every lane (see the constants). */
    static FloatVector exp(FloatVector v) {
        FloatVector x = v.max(LO).min(HI);
        FloatVector shifted = x.mul(LOG2E).add(ROUND); // k in the low mantissa bits
        FloatVector k = shifted.sub(ROUND);
        FloatVector r = x.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
        FloatVector q = FloatVector.broadcast(S, P0).mul(r).add(P1).mul(r).add(P2).mul(r).add(P3).mul(r).add(P4).mul(r).add(P5);
        FloatVector e = q.mul(r.mul(r)).add(r).add(1f);
        // 2^k from k's bits (a float-to-int conversion is not compiled to SIMD by JDK 17: 6x slower)
        IntVector twoK = ((IntVector) shifted.reinterpretAsInts()).sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return e.mul(twoK.reinterpretAsFloats());
    }

    /** The same exp, one float. */
    static float exp(float v) {
        float x = Math.min(Math.max(v, LO), HI);
        float shifted = x * LOG2E + ROUND;
        float k = shifted - ROUND;
        float r = x - k * LN2_HI - k * LN2_LO;
        float q = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
        float e = q * (r * r) + r + 1f;
        return e * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - (ROUND_BITS - 127)) << 23);
    }

    private static int bytes(long element) {
        return Math.toIntExact(element * Float.BYTES);
    }
}
