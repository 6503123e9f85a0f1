package chorus.models.posterior;

import chorus.models.check.Checks;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradient of a loss with respect to the parameters of a diagonal {@link Gaussian}: {@code dMu}
 * and {@code dLogvar}, both {@code [rows, D]} like the Gaussian they belong to.
 */
public record GaussianGrad(INDArray dMu, INDArray dLogvar) {

    public GaussianGrad {
        Checks.matrix("gradient dMu", dMu);
        Checks.matrix("gradient dLogvar", dLogvar);
        if (!java.util.Arrays.equals(dMu.shape(), dLogvar.shape())) {
            throw new IllegalArgumentException("gradient dLogvar: shape " + Checks.shape(dLogvar)
                    + ", expected the shape of dMu " + Checks.shape(dMu));
        }
    }

    /** A zero gradient {@code [rows, D]} of the given Gaussian's type. */
    public static GaussianGrad zeros(Gaussian like) {
        return new GaussianGrad(Nd4j.zeros(like.dtype(), like.rows(), like.dim()),
                Nd4j.zeros(like.dtype(), like.rows(), like.dim()));
    }

    /** The sum of two gradients of the same Gaussian (new arrays; neither operand changes). */
    public GaussianGrad plus(GaussianGrad other) {
        Checks.shape("gradient to add (dMu)", other.dMu, dMu.shape());
        return new GaussianGrad(dMu.add(other.dMu), dLogvar.add(other.dLogvar));
    }

    /** Number of rows. */
    public int rows() {
        return (int) dMu.size(0);
    }

    /**
     * Sums {@code k} stacked blocks: a gradient {@code [k*B, D]} of {@link Gaussian#repeat(int)} becomes
     * the gradient {@code [B, D]} of the Gaussian that was repeated (row {@code j*B+b} adds into row b).
     */
    public GaussianGrad sumBlocks(int k) {
        Checks.positive("blocks k", k);
        if (rows() % k != 0) {
            throw new IllegalArgumentException("blocks k: " + k + " does not divide the " + rows()
                    + " rows of the gradient, expected rows = k * B");
        }
        long b = rows() / k;
        long d = dMu.size(1);
        INDArray mu = dMu.reshape(k, b, d).sum(0);         // [B, D]
        INDArray logvar = dLogvar.reshape(k, b, d).sum(0); // [B, D]
        return new GaussianGrad(mu, logvar);
    }

    /** Row-wise concatenation, in list order (the inverse of slicing with {@link Gaussian#rows(int, int)}). */
    public static GaussianGrad concat(List<GaussianGrad> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("gradients to concatenate: none, expected at least one");
        }
        INDArray[] mus = parts.stream().map(GaussianGrad::dMu).toArray(INDArray[]::new);
        INDArray[] logvars = parts.stream().map(GaussianGrad::dLogvar).toArray(INDArray[]::new);
        return new GaussianGrad(Nd4j.concat(0, mus), Nd4j.concat(0, logvars));
    }
}
