package chorus.models.evaluation;

import chorus.data.Batch;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.models.MultimodalVae;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.Networks;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model with a 1-D latent, small enough that p(X) = integral p(X | z) p(z) dz can be computed on a
 * grid: a 3-pixel Bernoulli "image" and a 3-class label, in double.
 */
public final class OneDimensionalModel {

    public static final Modality IMAGE = Modality.image("image", 1, 1, 3, LikelihoodKind.BERNOULLI);
    public static final Modality LABEL = Modality.categorical("label", 3);
    public static final List<Modality> MODALITIES = List.of(IMAGE, LABEL);

    private OneDimensionalModel() {
    }

    /**
     * The model with every expert's logvar output raised by {@code widen}: a proposal wider than the true
     * posterior keeps the importance weights' variance finite, so large-K estimates converge quickly.
     */
    public static MultimodalVae model(long seed, double widen) {
        return model(seed, widen, 0);
    }

    /** The same with {@code privateLatent} private dimensions beside the one shared dimension (latent 1 + Dp). */
    public static MultimodalVae model(long seed, double widen, int privateLatent) {
        int latent = 1 + privateLatent;
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        List<Likelihood> lik = new ArrayList<>();
        for (int j = 0; j < MODALITIES.size(); j++) {
            Modality m = MODALITIES.get(j);
            NetworkOptions opts = NetworkOptions.of(seed + 31L * j).withDataType(DataType.DOUBLE);
            Likelihood l = Likelihoods.of(m.likelihood(), 1.0);
            Network e = Networks.encoder(m, "mlp", latent, List.of(4), opts);
            INDArray p = e.params();                             // [1, P]: ..., last layer's W, then b = (b_mu, b_logvar)
            for (long last = p.length() - latent; last < p.length(); last++) {
                p.putScalar(0, last, p.getDouble(0, last) + widen);
            }
            e.setParams(p);
            enc.add(e);
            dec.add(Networks.decoder(m, "mlp", latent, List.of(6), l.paramSize(m.size()), opts.withSeed(seed + 31L * j + 5)));
            lik.add(l);
        }
        return new MultimodalVae(MODALITIES, enc, dec, lik, latent, privateLatent);
    }

    /**
     * log of the double integral p_j(x_j | z_s, z_p) N(z_s; 0, 1) N(z_p; 0, 1) over a 2-D latent (one
     * shared, one private dimension) per row, by the trapezoid rule on [-8, 8]^2 with step 0.02.
     */
    public static double[] integratePrivate(MultimodalVae model, Batch batch, int j) {
        return integratePrivate(model, batch, j, false);
    }

    /** {@link #integratePrivate} with the prior Laplace(0, 1) in both dimensions when {@code laplace} (MMVAE+'s). */
    public static double[] integratePrivate(MultimodalVae model, Batch batch, int j, boolean laplace) {
        int n = 801;
        double step = 16.0 / (n - 1);
        double[][] grid = new double[n * n][];
        for (int i = 0; i < n * n; i++) {
            grid[i] = new double[] {-8 + step * (i / n), -8 + step * (i % n)};             // (z_s, z_p)
        }
        INDArray z = Nd4j.createFromArray(grid);                                           // [n*n, 2]
        INDArray prior = laplace ? chorus.models.posterior.LaplaceMath.standardLogDensity(z)  // [n*n] log Laplace(z; 0, I)
                : z.mul(z).sum(1).muli(-0.5).subi(Math.log(2 * Math.PI));                   // [n*n] log N(z; 0, I)
        INDArray params = model.decoders().get(j).output(z);                               // [n*n, P]
        double[] out = new double[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            INDArray x = Nd4j.tile(batch.tensors().get(j).getRow(b, true), n * n, 1);      // [n*n, size]
            double[] v = prior.add(model.likelihoods().get(j).logProb(params, x)).toDoubleVector();
            double max = java.util.Arrays.stream(v).max().orElseThrow();
            double sum = 0;
            for (int i = 0; i < v.length; i++) {
                int a = i / n;
                int c = i % n;
                sum += (a == 0 || a == n - 1 ? 0.5 : 1.0) * (c == 0 || c == n - 1 ? 0.5 : 1.0) * Math.exp(v[i] - max);
            }
            out[b] = max + Math.log(sum * step * step);
        }
        return out;
    }

    /** Four fully observed rows: pixels and labels chosen to differ between rows. */
    public static Batch batch() {
        INDArray image = Nd4j.create(new double[][] {{1, 0, 1}, {0, 0, 0}, {1, 1, 1}, {0, 1, 0}});
        INDArray label = Nd4j.create(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}});
        return new Batch(0, MODALITIES, List.of(image, label), Nd4j.ones(DataType.DOUBLE, 4, 2), new int[] {0, 1, 2, 3});
    }

    /**
     * log integral prod_{m in subset} p_m(x_m | z) N(z; 0, 1) dz per row, by the trapezoid rule on
     * [-12, 12] with step 0.001 (the integrand is smooth and below e^-70 at the ends).
     */
    public static double[] integrate(MultimodalVae model, Batch batch, int... subset) {
        return integrate(model, batch, false, subset);
    }

    /** {@link #integrate} with the prior Laplace(0, 1) when {@code laplace} (MMVAE+'s). */
    public static double[] integrate(MultimodalVae model, Batch batch, boolean laplace, int... subset) {
        int points = 24001;
        INDArray z = Nd4j.linspace(-12, 12, points, DataType.DOUBLE).reshape(points, 1);  // [G, 1]
        double step = 24.0 / (points - 1);
        double[] out = new double[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            INDArray f = laplace ? chorus.models.posterior.LaplaceMath.standardLogDensity(z)       // [G] log Laplace(z; 0, 1)
                    : z.mul(z).muli(-0.5).subi(0.5 * Math.log(2 * Math.PI)).reshape(points);   // [G] log N(z; 0, 1)
            for (int j : subset) {
                INDArray params = model.decoders().get(j).output(z);                             // [G, P]
                INDArray x = Nd4j.tile(batch.tensors().get(j).getRow(b, true), points, 1);     // [G, size]
                f.addi(model.likelihoods().get(j).logProb(params, x));
            }
            double[] v = f.toDoubleVector();
            double max = java.util.Arrays.stream(v).max().orElseThrow();
            double sum = 0;
            for (int i = 0; i < points; i++) {
                sum += (i == 0 || i == points - 1 ? 0.5 : 1.0) * Math.exp(v[i] - max);
            }
            out[b] = max + Math.log(sum * step);
        }
        return out;
    }
}
