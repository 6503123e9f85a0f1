package chorus.models.likelihood;

import chorus.models.check.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One categorical over each row from logits l {@code [R, C]} and one-hot x {@code [R, C]}:
 * log p(x | l) = sum_c x_c log softmax(l)_c, with the log-softmax max-shifted, l - max - log sum exp(l - max).
 * Used for labels and characters (Wu &amp; Goodman 2018; Shi et al. 2019).
 */
public record Categorical() implements Likelihood {

    @Override
    public INDArray logProb(INDArray params, INDArray x) {
        Likelihoods.requirePair(this, params, x);
        return x.castTo(params.dataType()).mul(logSoftmax(params)).sum(1); // [R]
    }

    /** dL/dl = g (x - softmax(l) sum_c x_c), which is g (x - softmax(l)) for one-hot x. */
    @Override
    public INDArray backward(INDArray params, INDArray x, INDArray dLogProb) {
        INDArray g = Likelihoods.requireUpstream(this, params, x, dLogProb); // [R, 1]
        INDArray xt = x.castTo(params.dataType());                           // [R, C]
        INDArray probs = Transforms.exp(logSoftmax(params), false).muliColumnVector(xt.sum(true, 1)); // [R, C]
        return xt.sub(probs).muliColumnVector(g);                            // [R, C]
    }

    /** The class probabilities softmax(l). */
    @Override
    public INDArray mean(INDArray params) {
        Checks.finite("likelihood params", Checks.matrix("likelihood params", params));
        return Transforms.exp(logSoftmax(params), false); // [R, C]
    }

    @Override
    public int paramSize(int dataSize) {
        return Checks.positive("data size", dataSize);
    }

    private static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));                 // [R, C]
        INDArray logNorm = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false); // [R, 1]
        return shifted.subiColumnVector(logNorm);                                      // [R, C]
    }
}
