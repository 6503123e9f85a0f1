package chorus.models.nn.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Adam (Kingma and Ba, 2015) applied to a network's whole flat parameter vector in one pass per chunk
 * (moments, step, parameters), the chunks split over {@link IntraOp}'s threads. The same arithmetic and
 * state layout as DL4J's updater (one block, state {@code [m | v]}; libnd4j's {@code adam_updater}
 * with its bias-corrected step size), which made four whole-vector passes on one thread and evaluated
 * a power per element; tested equal to it over several steps.
 */
public final class FlatAdam {

    /** Elementwise work per parameter (the fused update reads and writes several arrays), for chunking. */
    private static final long WORK_PER_PARAM = 8;
    private static final long KEEP_WORK_PER_PARAM = 11;

    private final Adam adam;
    private final INDArray params; // [P], the network's parameters
    private final INDArray m;      // [P], first moments: the first half of the updater state
    private final INDArray v;      // [P], second moments: the second half

    private FlatAdam(Adam adam, INDArray params, INDArray state) {
        if (params.length() + params.offset() > Integer.MAX_VALUE || 2 * params.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Adam over " + params.length() + " parameters: expected fewer than 2^30");
        }
        long n = params.length();
        this.adam = adam;
        this.params = params.reshape(n);
        INDArray s = state.reshape(2 * n);
        this.m = s.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
        this.v = s.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n));
    }

    /** The flat Adam of {@code net}, or null when its layers do not all share one fixed-rate Adam. */
    public static FlatAdam of(MultiLayerNetwork net) {
        Adam shared = null;
        for (Layer layer : net.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            if (!(layer.conf().getLayer() instanceof BaseLayer base)) {
                return null;
            }
            for (IUpdater u : new IUpdater[] {base.getIUpdater(), base.getBiasUpdater()}) {
                if (u == null) {
                    continue;
                }
                if (!(u instanceof Adam a) || a.getLearningRateSchedule() != null || (shared != null && !shared.equals(a))) {
                    return null;
                }
                shared = a;
            }
        }
        org.deeplearning4j.nn.api.Updater updater = net.getUpdater(false); // none: an inference copy
        INDArray state = updater == null ? null : updater.getStateViewArray();
        if (shared == null || state == null || state.length() != 2 * net.numParams()) {
            return null;
        }
        return new FlatAdam(shared, net.params(), state);
    }

    /**
     * {@code params -= Adam step of flatGrad [P]} at {@code iteration} (bias correction counts from it). With
     * {@code keepParams [1, P]} and {@code keepState [1, 2P]} (else both null) the parameters and moments as
     * they were before the step are left there, written in the same pass (see {@link VectorMath#adam}).
     */
    public void apply(INDArray flatGrad, int iteration, IntraOp par, INDArray keepParams, INDArray keepState) {
        INDArray g = flatGrad.reshape(flatGrad.length());
        long n = params.length();
        boolean keep = keepParams != null;
        if (keep && !(keepParams.length() == n && keepState.length() == 2 * n && contiguous(keepParams)
                && contiguous(keepState))) {
            throw new IllegalArgumentException("Adam's undo arrays: " + keepParams.shapeInfoToString() + " and "
                    + keepState.shapeInfoToString() + ", expected contiguous " + params.dataType() + " of " + n
                    + " and " + 2 * n + " values");
        }
        double beta1 = adam.getBeta1();
        double beta2 = adam.getBeta2();
        double eps = adam.getEpsilon();
        // libnd4j's adam_updater: alpha_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), t = iteration + 1
        double alpha = adam.getLearningRate(iteration, 0) * Math.sqrt(1 - Math.pow(beta2, iteration + 1))
                / (1 - Math.pow(beta1, iteration + 1));
        if (!Double.isFinite(alpha) || alpha == 0) {
            alpha = eps;
        }
        double a = alpha;
        if (!plain(g)) {
            g = g.dup();
        }
        INDArray grads = g;
        INDArray kp = keep ? keepParams.reshape(n) : null; // views: the arrays are contiguous
        INDArray ks = keep ? keepState.reshape(2 * n) : null;
        par.forEach(n, (keep ? KEEP_WORK_PER_PARAM : WORK_PER_PARAM) * n, (c, from, to) -> {
            if (params.dataType() == DataType.FLOAT) {
                floats(grads, from, to, (float) beta1, (float) beta2, (float) eps, (float) a, kp, ks);
            } else {
                doubles(grads, from, to, beta1, beta2, eps, a, kp, ks);
            }
        });
    }

    /** Elements per block: the loops copy blocks of off-heap memory into arrays that fit the L1 cache. */
    private static final int BLOCK = 2048;

    /**
     * One pass over {@code [from, to)}: m, v and the parameters. In SIMD registers straight from the
     * off-heap buffers where the JVM has the Vector API ({@link VectorMath#adam}), else a block at a time
     * through Java arrays (plain array loops vectorise; per-element buffer accesses did not); the same
     * operations in the same order either way. libnd4j's fused op evaluated a power per element (9 ns
     * each here). Unlike DL4J, the step is not left in the gradient view: nothing reads it there, and
     * writing it was a fifth stream over memory.
     */
    private void floats(INDArray g, long from, long to, float beta1, float beta2, float eps, float alpha,
                        INDArray kp, INDArray ks) {
        long n = params.length();
        if (VectorMathSupport.AVAILABLE) {
            VectorMath.Keep keep = kp == null ? null : new VectorMath.Keep(kp.data().asNio(), kp.offset() + from,
                    ks.data().asNio(), ks.offset() + from, ks.offset() + n + from);
            VectorMath.adam(g.data().asNio(), g.offset() + from, m.data().asNio(), m.offset() + from,
                    v.data().asNio(), v.offset() + from, params.data().asNio(), params.offset() + from,
                    (int) (to - from), beta1, beta2, eps, alpha, keep);
            return;
        }
        FloatBuffer kpb = kp == null ? null : kp.data().asNioFloat();
        FloatBuffer ksb = ks == null ? null : ks.data().asNioFloat();
        int kpo = kp == null ? 0 : (int) kp.offset(), kso = ks == null ? 0 : (int) ks.offset();
        FloatBuffer gb = g.data().asNioFloat();
        FloatBuffer mb = m.data().asNioFloat();
        FloatBuffer vb = v.data().asNioFloat();
        FloatBuffer pb = params.data().asNioFloat();
        int go = (int) g.offset(), mo = (int) m.offset(), vo = (int) v.offset(), po = (int) params.offset();
        float[] ga = new float[BLOCK], ma = new float[BLOCK], va = new float[BLOCK], pa = new float[BLOCK];
        for (int start = (int) from; start < to; start += BLOCK) {
            int len = (int) Math.min(BLOCK, to - start);
            gb.get(go + start, ga, 0, len);
            mb.get(mo + start, ma, 0, len);
            vb.get(vo + start, va, 0, len);
            pb.get(po + start, pa, 0, len);
            if (kpb != null) {
                kpb.put(kpo + start, pa, 0, len);
                ksb.put(kso + start, ma, 0, len);
                ksb.put(kso + (int) n + start, va, 0, len);
            }
            for (int i = 0; i < len; i++) {
                float gi = ga[i];
                float mi = beta1 * ma[i] + (1 - beta1) * gi;
                float vi = beta2 * va[i] + (1 - beta2) * gi * gi;
                float step = alpha * mi / ((float) Math.sqrt(vi) + eps);
                ma[i] = mi;
                va[i] = vi;
                pa[i] -= step;
            }
            mb.put(mo + start, ma, 0, len);
            vb.put(vo + start, va, 0, len);
            pb.put(po + start, pa, 0, len);
        }
    }

    private void doubles(INDArray g, long from, long to, double beta1, double beta2, double eps, double alpha,
                         INDArray kp, INDArray ks) {
        long n = params.length();
        DoubleBuffer kpb = kp == null ? null : kp.data().asNioDouble();
        DoubleBuffer ksb = ks == null ? null : ks.data().asNioDouble();
        int kpo = kp == null ? 0 : (int) kp.offset(), kso = ks == null ? 0 : (int) ks.offset();
        DoubleBuffer gb = g.data().asNioDouble();
        DoubleBuffer mb = m.data().asNioDouble();
        DoubleBuffer vb = v.data().asNioDouble();
        DoubleBuffer pb = params.data().asNioDouble();
        int go = (int) g.offset(), mo = (int) m.offset(), vo = (int) v.offset(), po = (int) params.offset();
        for (int i = (int) from; i < to; i++) { // double precision is for tests: no blocking needed
            double gi = gb.get(go + i);
            if (kpb != null) {
                kpb.put(kpo + i, pb.get(po + i));
                ksb.put(kso + i, mb.get(mo + i));
                ksb.put(kso + (int) n + i, vb.get(vo + i));
            }
            double mi = beta1 * mb.get(mo + i) + (1 - beta1) * gi;
            double vi = beta2 * vb.get(vo + i) + (1 - beta2) * gi * gi;
            double step = alpha * mi / (Math.sqrt(vi) + eps);
            mb.put(mo + i, mi);
            vb.put(vo + i, vi);
            pb.put(po + i, pb.get(po + i) - step);
        }
    }

    /** Whether {@code a} is one contiguous run of this network's type in row-major order (so flat views are views). */
    private boolean contiguous(INDArray a) {
        return a.dataType() == params.dataType() && a.ordering() == 'c' && a.elementWiseStride() == 1;
    }

    /** Whether {@code a} is one contiguous run of this network's type (what the loops index). */
    private boolean plain(INDArray a) {
        return a.dataType() == params.dataType() && Shape.hasDefaultStridesForShape(a) && a.ordering() == 'c';
    }
}
