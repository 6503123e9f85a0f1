package chorus.models.posterior;

import chorus.models.check.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The KL terms of the ELBO against the standard normal prior p(z) = N(0, I), with their backward.
 * The analytic form serves the Gaussian posteriors of MVAE (Wu &amp; Goodman 2018) and MoPoE's subset
 * posteriors (Sutter et al. 2021); the Monte-Carlo form log q(z) - log p(z) serves mixtures, whose KL
 * has no closed form (Shi et al. 2019, MMVAE).
 */
public final class Divergence {

    private Divergence() {
    }

    /** KL(N(mu, diag(exp(logvar))) || N(0, I)) = 1/2 sum_d (mu^2 + exp(logvar) - 1 - logvar), per row {@code [rows]}. */
    public static INDArray klStandardNormal(Gaussian q) {
        INDArray var = Transforms.exp(q.logvar(), true);                      // [rows, D]
        INDArray perDim = q.mu().mul(q.mu()).addi(var).subi(1.0).subi(q.logvar()); // [rows, D]
        return perDim.sum(1).muli(0.5);                                       // [rows]
    }

    /** Backward of {@link #klStandardNormal}: dL/dmu = g mu, dL/dlogvar = g (exp(logvar) - 1) / 2, g = dL/dKL {@code [rows]}. */
    public static GaussianGrad klStandardNormalBackward(Gaussian q, INDArray dKl) {
        INDArray g = upstream("upstream gradient dKl", dKl, q);               // [rows, 1]
        INDArray dMu = q.mu().mulColumnVector(g);                             // [rows, D]
        INDArray dLogvar = Transforms.exp(q.logvar(), true).subi(1.0).muliColumnVector(g).muli(0.5); // [rows, D]
        return new GaussianGrad(dMu, dLogvar);
    }

    /**
     * KL(q || p) between two diagonal Gaussians, per row {@code [rows]}:
     * 1/2 sum_d (logvar_p - logvar_q + (exp(logvar_q) + (mu_q - mu_p)^2) / exp(logvar_p) - 1). JMVAE-kl's
     * KL(q(z | X) || q_m(z | x_m)) (Suzuki et al. 2016); with p = N(0, I) it is {@link #klStandardNormal}.
     */
    public static INDArray klGaussian(Gaussian q, Gaussian p) {
        requirePair(q, p);
        INDArray diff = q.mu().sub(p.mu());                                   // [rows, D]
        INDArray ratio = Transforms.exp(q.logvar(), true).addi(diff.muli(diff)).muli(p.precision()); // [rows, D]
        return ratio.addi(p.logvar()).subi(q.logvar()).subi(1.0).sum(1).muli(0.5); // [rows]
    }

    /** The gradients of {@link #klGaussian} with respect to q and to p, for g = dL/dKL {@code [rows]}. */
    public record PairGrad(GaussianGrad q, GaussianGrad p) {
    }

    /**
     * Backward of {@link #klGaussian}: with r = (mu_q - mu_p) / var_p,
     * dL/dmu_q = g r, dL/dmu_p = -g r, dL/dlogvar_q = g (var_q / var_p - 1) / 2 and
     * dL/dlogvar_p = g (1 - (var_q + (mu_q - mu_p)^2) / var_p) / 2.
     */
    public static PairGrad klGaussianBackward(Gaussian q, Gaussian p, INDArray dKl) {
        requirePair(q, p);
        INDArray g = upstream("upstream gradient dKl", dKl, q);               // [rows, 1]
        INDArray precisionP = p.precision();                                  // [rows, D]
        INDArray diff = q.mu().sub(p.mu());                                   // [rows, D]
        INDArray dMuQ = diff.mul(precisionP).muliColumnVector(g);             // [rows, D]
        INDArray ratio = Transforms.exp(q.logvar(), true).muli(precisionP);   // [rows, D] var_q / var_p
        INDArray dLogvarQ = ratio.sub(1.0).muliColumnVector(g).muli(0.5);     // [rows, D]
        INDArray dLogvarP = ratio.addi(diff.muli(diff).muli(precisionP)).rsubi(1.0).muliColumnVector(g).muli(0.5); // [rows, D]
        return new PairGrad(new GaussianGrad(dMuQ, dLogvarQ), new GaussianGrad(dMuQ.neg(), dLogvarP));
    }

    private static void requirePair(Gaussian q, Gaussian p) {
        if (!java.util.Arrays.equals(q.mu().shape(), p.mu().shape()) || q.dtype() != p.dtype()) {
            throw new IllegalArgumentException("KL between gaussians: q " + Checks.shape(q.mu()) + " " + q.dtype()
                    + " and p " + Checks.shape(p.mu()) + " " + p.dtype() + ", expected the same shape and type");
        }
    }

    /** log N(z; 0, I) = -1/2 sum_d (z_d^2 + log 2pi), per row {@code [rows]} of {@code z [rows, D]}. */
    public static INDArray standardNormalLogDensity(INDArray z) {
        Checks.finite("point z", Checks.matrix("point z", z));
        INDArray perDim = z.mul(z).addi(Gaussian.LOG_2PI);                    // [rows, D]
        return perDim.sum(1).muli(-0.5);                                      // [rows]
    }

    /** Backward of {@link #standardNormalLogDensity}: dL/dz = -g z for g = dL/dlog p {@code [rows]}. */
    public static INDArray standardNormalLogDensityBackward(INDArray z, INDArray dLogDensity) {
        Checks.finite("point z", Checks.matrix("point z", z));
        Checks.finite("upstream gradient dLogDensity", Checks.vector("upstream gradient dLogDensity", dLogDensity, z.size(0)));
        INDArray g = dLogDensity.castTo(z.dataType()).reshape(z.size(0), 1);  // [rows, 1]
        return z.mulColumnVector(g).negi();                                   // [rows, D]
    }

    /**
     * The single-sample Monte-Carlo KL estimate log q(z) - log p(z) per row {@code [rows]}, from the two
     * log densities at the same z (e.g. {@link MixtureOfExperts#value()} and {@link #standardNormalLogDensity}).
     * Its backward is +g to log q and -g to log p.
     */
    public static INDArray monteCarlo(INDArray logQ, INDArray logP) {
        Checks.finite("log q", Checks.vector("log q", logQ, logQ == null ? 0 : logQ.length()));
        Checks.finite("log p", Checks.vector("log p", logP, logQ.length()));
        Checks.sameType("log p", logP, "log q", logQ);
        return logQ.reshape(logQ.length()).sub(logP.reshape(logP.length())); // [rows]
    }

    private static INDArray upstream(String name, INDArray g, Gaussian q) {
        Checks.finite(name, Checks.vector(name, g, q.rows()));
        return g.castTo(q.dtype()).reshape(q.rows(), 1); // [rows, 1]
    }
}
