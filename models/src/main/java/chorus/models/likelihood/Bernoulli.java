package chorus.models.likelihood;

import chorus.models.check.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Independent Bernoulli per value from logits l: log p(x | l) = sum (x l - softplus(l)), with
 * softplus(l) = max(l, 0) + log1p(exp(-|l|)) so that no exp overflows for large |l|. Used for pixels in
 * [0, 1] (Wu &amp; Goodman 2018, MVAE), where x may be fractional.
 */
public record Bernoulli() implements Likelihood {

    @Override
    public INDArray logProb(INDArray params, INDArray x) {
        Likelihoods.requirePair(this, params, x);
        INDArray xt = x.castTo(params.dataType());
        INDArray softplus = Transforms.log1p(Transforms.exp(Transforms.abs(params, true).negi(), false), false)
                .addi(Transforms.relu(params, true));              // [R, P] softplus(l)
        return xt.mul(params).subi(softplus).sum(1);               // [R]
    }

    /** dL/dl = g (x - sigmoid(l)). */
    @Override
    public INDArray backward(INDArray params, INDArray x, INDArray dLogProb) {
        INDArray g = Likelihoods.requireUpstream(this, params, x, dLogProb); // [R, 1]
        return x.castTo(params.dataType()).sub(Transforms.sigmoid(params, true)).muliColumnVector(g); // [R, P]
    }

    /** The probabilities sigmoid(l). */
    @Override
    public INDArray mean(INDArray params) {
        Checks.finite("likelihood params", Checks.matrix("likelihood params", params));
        return Transforms.sigmoid(params, true); // [R, P]
    }

    @Override
    public int paramSize(int dataSize) {
        return Checks.positive("data size", dataSize);
    }
}
