package chorus.models.likelihood;

import chorus.models.check.Checks;
import chorus.models.posterior.Gaussian;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Independent Gaussian per value with mean mu = params and a fixed standard deviation {@code scale} (a
 * likelihood; not the posterior {@link Gaussian} over z, which has a mean and variance per row):
 * log p(x | mu) = sum (-(x - mu)^2 / (2 scale^2) - log scale - log(2 pi) / 2), normalising constants
 * included. For real-valued images, where the fixed scale plays the role of an observation noise.
 */
public record FixedScaleGaussian(double scale) implements Likelihood {

    public FixedScaleGaussian {
        Likelihoods.requireScale("gaussian likelihood", scale);
    }

    @Override
    public INDArray logProb(INDArray params, INDArray x) {
        Likelihoods.requirePair(this, params, x);
        INDArray diff = x.castTo(params.dataType()).sub(params).divi(scale);        // [R, P] (x - mu) / s
        double constant = params.size(1) * (Math.log(scale) + 0.5 * Gaussian.LOG_2PI);
        return diff.muli(diff).sum(1).muli(-0.5).subi(constant);                   // [R]
    }

    /** dL/dmu = g (x - mu) / scale^2. */
    @Override
    public INDArray backward(INDArray params, INDArray x, INDArray dLogProb) {
        INDArray g = Likelihoods.requireUpstream(this, params, x, dLogProb);       // [R, 1]
        return x.castTo(params.dataType()).sub(params).divi(scale * scale).muliColumnVector(g); // [R, P]
    }

    /** The mean itself (a copy of params). */
    @Override
    public INDArray mean(INDArray params) {
        return Checks.finite("likelihood params", Checks.matrix("likelihood params", params)).dup(); // [R, P]
    }

    @Override
    public int paramSize(int dataSize) {
        return Checks.positive("data size", dataSize);
    }
}
