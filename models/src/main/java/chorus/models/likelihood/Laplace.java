package chorus.models.likelihood;

import chorus.models.check.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Independent Laplace per value with location mu = params and a fixed scale b:
 * log p(x | mu) = sum (-|x - mu| / b - log(2 b)). MMVAE's image likelihood (Shi et al. 2019).
 */
public record Laplace(double scale) implements Likelihood {

    public Laplace {
        Likelihoods.requireScale("laplace likelihood", scale);
    }

    @Override
    public INDArray logProb(INDArray params, INDArray x) {
        Likelihoods.requirePair(this, params, x);
        INDArray absDiff = Transforms.abs(x.castTo(params.dataType()).sub(params), false); // [R, P]
        double constant = params.size(1) * Math.log(2.0 * scale);
        return absDiff.sum(1).divi(-scale).subi(constant);                                // [R]
    }

    /** dL/dmu = g sign(x - mu) / b (0 where x = mu, a subgradient). */
    @Override
    public INDArray backward(INDArray params, INDArray x, INDArray dLogProb) {
        INDArray g = Likelihoods.requireUpstream(this, params, x, dLogProb);               // [R, 1]
        INDArray sign = Transforms.sign(x.castTo(params.dataType()).sub(params), false);   // [R, P]
        return sign.divi(scale).muliColumnVector(g);                                       // [R, P]
    }

    /** The location itself (a copy of params). */
    @Override
    public INDArray mean(INDArray params) {
        return Checks.finite("likelihood params", Checks.matrix("likelihood params", params)).dup(); // [R, P]
    }

    @Override
    public int paramSize(int dataSize) {
        return Checks.positive("data size", dataSize);
    }
}
