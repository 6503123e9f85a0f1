package chorus.models.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Adam (Kingma and Ba, 2015) applied to a network's whole flat parameter vector in one pass per chunk:
 * copy the gradient into the network's gradient view, libnd4j's fused {@code adam_updater} on
 * (gradient, v, m), subtract — the chunks of the vector split over {@link IntraOp}'s threads. The
 * same arithmetic and state layout as DL4J's updater (one block, state {@code [m | v]}), which did the
 * same in separate whole-vector passes on one thread; tested equal to it over several steps.
 */
final class FlatAdam {

    /** Elementwise work per parameter (the fused update reads and writes several arrays), for chunking. */
    private static final long WORK_PER_PARAM = 8;

    private final Adam adam;
    private final INDArray params; // [P], the network's parameters
    private final INDArray grad;   // [P], the network's gradient view (left holding the applied step)
    private final INDArray m;      // [P], first moments: the first half of the updater state
    private final INDArray v;      // [P], second moments: the second half

    private FlatAdam(Adam adam, INDArray params, INDArray grad, INDArray state) {
        long n = params.length();
        this.adam = adam;
        this.params = params.reshape(n);
        this.grad = grad.reshape(n);
        INDArray s = state.reshape(2 * n);
        this.m = s.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
        this.v = s.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n));
    }

    /** The flat Adam of {@code net}, or null when its layers do not all share one fixed-rate Adam. */
    static FlatAdam of(MultiLayerNetwork net) {
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
        INDArray state = net.getUpdater().getStateViewArray();
        if (shared == null || state == null || state.length() != 2 * net.numParams()) {
            return null;
        }
        return new FlatAdam(shared, net.params(), net.getGradientsViewArray(), state);
    }

    /** {@code params -= Adam step of flatGrad [P]} at {@code iteration} (bias correction counts from it). */
    void apply(INDArray flatGrad, int iteration, IntraOp par) {
        INDArray g = flatGrad.reshape(flatGrad.length());
        long n = params.length();
        double lr = adam.getLearningRate(iteration, 0);
        par.forEach(n, WORK_PER_PARAM * n, (c, from, to) -> {
            INDArray step = Buffers.rows(grad, from, to);
            step.assign(Buffers.rows(g, from, to));
            Nd4j.exec(new AdamUpdater(step, Buffers.rows(v, from, to), Buffers.rows(m, from, to), lr, adam.getBeta1(),
                    adam.getBeta2(), adam.getEpsilon(), iteration));
            Buffers.rows(params, from, to).subi(step);
        });
    }
}
