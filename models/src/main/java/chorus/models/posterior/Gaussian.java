package chorus.models.posterior;

import chorus.models.check.Checks;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A batch of diagonal Gaussians N(mu, diag(exp(logvar))), one per row: {@code mu} and {@code logvar}
 * are both {@code [rows, D]} of the same floating type, finite. The expert q_m(z | x_m) of an encoder
 * (Kingma &amp; Welling 2014) and every combined posterior (PoE, MoE components) are of this form.
 *
 * <p>Nothing here mutates {@code mu} or {@code logvar}: the arrays may have been sent between actors.
 * Sampling is reparameterised with caller-supplied noise so that every implementation drawing from the
 * same {@link Noise} computes bit-identical z.
 */
public record Gaussian(INDArray mu, INDArray logvar) {

    /** Log(2 pi), the normalising constant of a unit Gaussian per dimension. */
    public static final double LOG_2PI = Math.log(2.0 * Math.PI);

    public Gaussian {
        Checks.matrix("gaussian mu", mu);
        Checks.matrix("gaussian logvar", logvar);
        if (!Arrays.equals(mu.shape(), logvar.shape())) {
            throw new IllegalArgumentException("gaussian logvar: shape " + Checks.shape(logvar)
                    + ", expected the shape of mu " + Checks.shape(mu));
        }
        if (!mu.dataType().isFPType()) {
            throw new IllegalArgumentException("gaussian mu: data type " + mu.dataType() + ", expected a floating type");
        }
        Checks.sameType("gaussian logvar", logvar, "mu", mu);
        Checks.finite("gaussian mu", mu);
        Checks.finite("gaussian logvar", logvar);
    }

    /** The standard normal N(0, I) prior, {@code [rows, dim]}. */
    public static Gaussian standard(long rows, long dim, DataType dtype) {
        return new Gaussian(Nd4j.zeros(dtype, rows, dim), Nd4j.zeros(dtype, rows, dim));
    }

    /** Number of rows. */
    public int rows() {
        return (int) mu.size(0);
    }

    /** Latent dimension D. */
    public int dim() {
        return (int) mu.size(1);
    }

    /** The floating type of the parameters. */
    public DataType dtype() {
        return mu.dataType();
    }

    /** The standard deviation exp(logvar / 2) {@code [rows, D]}. */
    public INDArray std() {
        return Transforms.exp(logvar.mul(0.5), false); // [rows, D]
    }

    /** The reparameterised sample z = mu + exp(logvar / 2) * eps; {@code eps} is {@code [rows, D]}. */
    public INDArray sample(INDArray eps) {
        requireLike("noise eps", eps);
        return std().muli(eps).addi(mu); // [rows, D]
    }

    /**
     * Vector-Jacobian product of {@link #sample}: given dL/dz {@code [rows, D]} and the noise used,
     * dL/dmu = dz and dL/dlogvar = dz * eps * exp(logvar / 2) / 2.
     */
    public GaussianGrad sampleBackward(INDArray eps, INDArray dz) {
        requireLike("noise eps", eps);
        requireLike("upstream gradient dz", dz);
        INDArray dLogvar = std().muli(eps).muli(dz).muli(0.5); // [rows, D]
        return new GaussianGrad(dz.dup(), dLogvar);
    }

    /**
     * log N(z; mu, diag(exp(logvar))) per row, summed over the D dimensions, including the 2 pi
     * constant: -1/2 sum_d (log 2pi + logvar_d + (z_d - mu_d)^2 exp(-logvar_d)). Returns {@code [rows]}.
     */
    public INDArray logDensity(INDArray z) {
        requireLike("point z", z);
        INDArray diff = z.sub(mu);                                  // [rows, D]
        INDArray scaled = diff.muli(diff).muli(precision());        // [rows, D] (z - mu)^2 / var
        INDArray perDim = scaled.addi(logvar).addi(LOG_2PI);         // [rows, D]
        return perDim.sum(1).muli(-0.5);                            // [rows]
    }

    /**
     * Vector-Jacobian product of {@link #logDensity}: given dL/dlogq {@code [rows]}, returns
     * dL/dz = -g (z - mu) / var, dL/dmu = g (z - mu) / var and dL/dlogvar = g ((z - mu)^2 / var - 1) / 2.
     */
    public DensityGrad logDensityBackward(INDArray z, INDArray dLogDensity) {
        requireLike("point z", z);
        Checks.vector("upstream gradient dLogDensity", dLogDensity, rows());
        INDArray g = dLogDensity.reshape(rows(), 1).castTo(dtype());       // [rows, 1]
        INDArray scaledDiff = z.sub(mu).muli(precision());                  // [rows, D] (z - mu) / var
        INDArray dMu = scaledDiff.mul(g);                                   // [rows, D]
        INDArray dLogvar = scaledDiff.mul(z.sub(mu)).subi(1.0).muli(g).muli(0.5); // [rows, D]
        return new DensityGrad(dMu.neg(), new GaussianGrad(dMu, dLogvar));
    }

    /** The gradient of a log density: with respect to the point z and to the Gaussian's parameters. */
    public record DensityGrad(INDArray dz, GaussianGrad params) {
    }

    /** The precision exp(-logvar) {@code [rows, D]}. */
    public INDArray precision() {
        return Transforms.exp(logvar.neg(), false); // [rows, D]
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), e.g. subset t of a term-major posterior. */
    public Gaussian rows(int from, int to) {
        if (from < 0 || to > rows() || from >= to) {
            throw new IllegalArgumentException("gaussian rows: [" + from + ", " + to + ") of " + rows()
                    + " rows, expected 0 <= from < to <= " + rows());
        }
        return new Gaussian(mu.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                logvar.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive), e.g. the shared part of a latent. */
    public Gaussian columns(int from, int to) {
        if (from < 0 || to > dim() || from >= to) {
            throw new IllegalArgumentException("gaussian columns: [" + from + ", " + to + ") of " + dim()
                    + " dimensions, expected 0 <= from < to <= " + dim());
        }
        return new Gaussian(mu.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)),
                logvar.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)));
    }

    /** {@code k} stacked copies {@code [k*rows, D]}: row {@code j*rows+b} is row b (K samples per row). */
    public Gaussian repeat(int k) {
        Checks.positive("repeat k", k);
        return k == 1 ? this : new Gaussian(Nd4j.tile(mu, k, 1), Nd4j.tile(logvar, k, 1));
    }

    /** Row-wise concatenation in list order; all parts share D and the data type. */
    public static Gaussian concat(List<Gaussian> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("gaussians to concatenate: none, expected at least one");
        }
        INDArray[] mus = parts.stream().map(Gaussian::mu).toArray(INDArray[]::new);
        INDArray[] logvars = parts.stream().map(Gaussian::logvar).toArray(INDArray[]::new);
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i).dim() != parts.get(0).dim() || parts.get(i).dtype() != parts.get(0).dtype()) {
                throw new IllegalArgumentException("gaussian " + i + " to concatenate: shape " + Checks.shape(mus[i])
                        + " " + parts.get(i).dtype() + ", expected D = " + parts.get(0).dim() + " " + parts.get(0).dtype());
            }
        }
        return new Gaussian(Nd4j.concat(0, mus), Nd4j.concat(0, logvars));
    }

    private void requireLike(String name, INDArray array) {
        Checks.matrix(name, array);
        Checks.shape(name, array, mu.shape());
        Checks.sameType(name, array, "gaussian mu", mu);
        Checks.finite(name, array);
    }
}
