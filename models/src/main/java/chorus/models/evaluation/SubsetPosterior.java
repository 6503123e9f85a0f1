package chorus.models.evaluation;

import chorus.data.Seeds;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.LaplaceMath;
import chorus.models.posterior.MixtureOfExperts;
import chorus.models.posterior.Noise;
import chorus.models.posterior.ProductOfExperts;
import chorus.models.posterior.Subsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * q(z | X_S) for a batch of B rows: the experts of the modalities in S that each row observes, combined
 * by a {@link PosteriorRule}. A product (MVAE, Wu &amp; Goodman 2018; MoPoE's subset posterior, Sutter et
 * al. 2021) is one Gaussian per row from {@link ProductOfExperts}; a mixture (MMVAE, Shi et al. 2019) is
 * sampled by drawing a component per row and scored with {@link MixtureOfExperts#logDensity}.
 *
 * <p>Samples are indexed: sample k of every row is drawn from noise seeded by (seed, k) alone, so a
 * caller may draw samples [0, K) in chunks of any size and get the same z. Sample rows are sample-major,
 * {@code [K*B, D]} with row {@code k*B+b} = sample k of data row b.
 *
 * <p>Laplace experts (MMVAE+, {@link PosteriorRule#laplace()}) hold (loc, log scale s) in place of (mu, logvar):
 * their mean is loc, and a sample loc + exp(s) eps with eps ~ Laplace(0, 1) is drawn as the Gaussian
 * (loc, 2s) applied to Laplace noise; their density is the mixture of the given experts' Laplace densities over the
 * shared columns times each private part's Laplace density (its own expert, or the auxiliary prior).
 */
public final class SubsetPosterior {

    private final PosteriorRule rule;
    private final List<Gaussian> experts; // M x [B, D]
    private final INDArray presence;      // [B, M] 0/1, zero outside S
    private final Gaussian product;       // [B, D]; null for a mixture
    private final Gaussian privatePart;   // a mixture's private columns [B, M Dp]; null without them or for a product
    private final int[][] observed;       // per row, the experts it observes in S (mixture sampling)

    private SubsetPosterior(PosteriorRule rule, List<Gaussian> experts, INDArray presence, Gaussian product,
            Gaussian privatePart, int[][] observed) {
        this.rule = rule;
        this.experts = experts;
        this.presence = presence;
        this.product = product;
        this.privatePart = privatePart;
        this.observed = observed;
    }

    /**
     * Combines {@code experts} over the modalities {@code presence} marks.
     *
     * @param experts  M experts {@code [B, D]} of one floating type (an unmarked expert is never read)
     * @param presence {@code [B, M]} 0/1: 1 where the row observes modality m and m is in S; every row
     *                 needs at least one 1
     */
    public static SubsetPosterior of(List<Gaussian> experts, INDArray presence, PosteriorRule rule) {
        return of(experts, presence, rule, 0);
    }

    /**
     * Combines {@code experts} whose last {@code privateDim} = Dp columns are private to their modality
     * (private + shared latents; Dp = 0: none). The posterior is over the joint latent
     * {@code [shared | private_1 | ... | private_M]} of Ds + M Dp columns: the product of the experts' shared
     * columns, then per modality m its own expert's private columns on rows whose S holds m, and the prior
     * N(0, I) on the others. A mixture (MMVAE+) mixes the shared columns and takes the private ones the same way,
     * the auxiliary prior Laplace(0, auxScale) standing for a private part not given.
     */
    public static SubsetPosterior of(List<Gaussian> experts, INDArray presence, PosteriorRule rule, int privateDim) {
        if (privateDim < 0 || privateDim >= experts.get(0).dim()) {
            throw new IllegalArgumentException("posterior: " + privateDim + " private of " + experts.get(0).dim()
                    + " latent dimensions with " + rule.combination() + ", expected 0, or 0 < private < latent");
        }
        DataType dtype = experts.get(0).dtype();
        INDArray mask = presence.castTo(dtype);
        double[][] values = mask.castTo(DataType.DOUBLE).toDoubleMatrix(); // [B][M]
        int[][] observed = new int[values.length][];
        for (int b = 0; b < values.length; b++) {
            double[] row = values[b];
            observed[b] = java.util.stream.IntStream.range(0, row.length).filter(m -> row[m] > 0.5).toArray();
            if (observed[b].length == 0) {
                throw new IllegalArgumentException("posterior: row " + b + " observes none of the given modalities,"
                        + " expected at least one expert per row");
            }
        }
        int shared = experts.get(0).dim() - privateDim;
        List<Gaussian> sharedParts = privateDim == 0 ? experts : experts.stream().map(e -> e.columns(0, shared)).toList();
        Gaussian product = rule.isProduct()
                ? ProductOfExperts.combine(sharedParts, mask, Subsets.all(experts.size()), rule.includePrior()).posterior()
                : null;
        Gaussian privatePart = privateDim > 0 ? privateParts(experts, mask, shared, Math.log(rule.auxScale())) : null;
        if (product != null && privatePart != null) {
            product = columnConcat(product, privatePart);                                  // [B, Ds + M Dp]
            privatePart = null;
        }
        return new SubsetPosterior(rule, rule.isProduct() ? List.copyOf(experts) : List.copyOf(sharedParts), mask, product,
                privatePart, observed);
    }

    /** A posterior that is one given Gaussian per row {@code q [B, D]} (a joint encoder's, or one blended with it). */
    static SubsetPosterior ofGaussian(Gaussian q, PosteriorRule rule) {
        if (!rule.isProduct()) {
            throw new IllegalArgumentException("posterior: one Gaussian per row under the mixture rule " + rule.combination()
                    + ", expected a product rule");
        }
        return new SubsetPosterior(rule, List.of(q), Nd4j.ones(q.dtype(), q.rows(), 1), q, null, null);
    }

    /**
     * {@code [private_1 | ... | private_M]}: expert m's private columns where the mask holds m, the prior elsewhere
     * (mean 0, second column {@code priorParam}: logvar 0 for N(0, I), log auxScale for MMVAE+'s auxiliary prior).
     */
    private static Gaussian privateParts(List<Gaussian> experts, INDArray mask, int sharedDim, double priorParam) {
        List<INDArray> mu = new ArrayList<>();
        List<INDArray> logvar = new ArrayList<>();
        for (int m = 0; m < experts.size(); m++) {
            Gaussian own = experts.get(m).columns(sharedDim, experts.get(m).dim());          // [B, Dp]
            INDArray in = mask.getColumn(m).dup().reshape(mask.size(0), 1);                  // [B, 1]
            mu.add(own.mu().mulColumnVector(in));                                           // [B, Dp], mean 0 outside S
            logvar.add(own.logvar().mulColumnVector(in).addi(in.rsub(1.0).muli(priorParam))); // [B, Dp], the prior outside S
        }
        return new Gaussian(Nd4j.hstack(mu.toArray(INDArray[]::new)), Nd4j.hstack(logvar.toArray(INDArray[]::new))); // [B, M Dp]
    }

    private static Gaussian columnConcat(Gaussian a, Gaussian b) {
        return new Gaussian(Nd4j.hstack(a.mu(), b.mu()), Nd4j.hstack(a.logvar(), b.logvar()));
    }

    /** Number of data rows B. */
    public int rows() {
        return experts.get(0).rows();
    }

    /** Latent dimension D of the posterior (the joint latent Ds + M Dp with private latents). */
    public int dim() {
        return product != null ? product.dim() : experts.get(0).dim() + (privatePart == null ? 0 : privatePart.dim());
    }

    /** The rule combining the experts. */
    public PosteriorRule rule() {
        return rule;
    }

    /** The product posterior {@code [B, D]}; only for a product rule (a mixture is not one Gaussian). */
    public Gaussian product() {
        if (product == null) {
            throw new IllegalStateException("posterior: a mixture of experts (" + rule.combination()
                    + ") is not one Gaussian; use mean(), sample() or logDensity()");
        }
        return product;
    }

    /** E[z] per row {@code [B, D]}: the product's mu, or the mixture's average of the observed experts' mu. */
    public INDArray mean() {
        if (product != null) {
            return product.mu().dup();
        }
        INDArray sum = Nd4j.zeros(presence.dataType(), rows(), experts.get(0).dim());   // [B, Ds]
        for (int m = 0; m < experts.size(); m++) {
            sum.addi(experts.get(m).mu().mulColumnVector(presence.getColumn(m).dup().reshape(rows(), 1)));
        }
        INDArray shared = sum.diviColumnVector(presence.sum(true, 1).reshape(rows(), 1)); // [B, Ds]
        return privatePart == null ? shared : Nd4j.hstack(shared, privatePart.mu());      // [B, D]
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) of every row: {@code [(to-from)*B, D]}. */
    public INDArray sample(long seed, int from, int to) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("posterior samples [" + from + ", " + to + "), expected 0 <= from < to");
        }
        int c = to - from;
        INDArray[] eps = new INDArray[c];
        for (int k = from; k < to; k++) {
            long s = Seeds.derive(Seeds.derive(seed, k), 0);
            eps[k - from] = rule.laplace() ? Noise.standardLaplace(s, presence.dataType(), rows(), dim())
                    : Noise.standardNormal(s, presence.dataType(), rows(), dim());
        }
        INDArray noise = c == 1 ? eps[0] : Nd4j.concat(0, eps);                             // [C*B, D]
        Gaussian source = product != null ? product.repeat(c) : components(seed, from, to);
        if (privatePart != null) {
            source = columnConcat(source, privatePart.repeat(c));                           // [C*B, Ds + M Dp]
        }
        if (rule.laplace()) {
            source = new Gaussian(source.mu(), source.logvar().mul(2.0)); // loc + exp(s) eps for Laplace eps
        }
        return source.sample(noise);                                                        // [C*B, D]
    }

    /** log q(z | X_S) per sample row {@code [K*B]} for {@code z [K*B, D]} (sample-major). */
    public INDArray logDensity(INDArray z) {
        if (z.size(0) % rows() != 0) {
            throw new IllegalArgumentException("posterior point z: " + z.size(0) + " rows, expected K*" + rows());
        }
        if (rule.deterministic()) {
            throw new IllegalStateException("posterior: " + rule.combination() + "'s encoders are deterministic (a Wasserstein"
                    + " autoencoder): its posterior is a point with no density, so importance-sampled likelihoods do not apply");
        }
        if (rule.laplace()) {
            return laplaceLogDensity(z);                                                     // [K*B]
        }
        if (product != null) {
            return product.repeat((int) (z.size(0) / rows())).logDensity(z);                // [K*B]
        }
        return MixtureOfExperts.logDensity(z, experts, presence).value();                 // [K*B]
    }

    /**
     * MMVAE+'s log q(z | X_S) per sample row {@code [K*B]}: log (1/|S_b|) sum_{m in S_b} prod_d Laplace(z_d; loc_m, exp(s_m))
     * over the shared columns, plus sum_c log Laplace of each private column under its own expert or r(w). In double.
     */
    private INDArray laplaceLogDensity(INDArray z) {
        int b = rows();
        int ds = experts.get(0).dim();
        double[][] zz = z.castTo(DataType.DOUBLE).toDoubleMatrix();                         // [K*B][D]
        double[][][] loc = new double[experts.size()][][];
        double[][][] logScale = new double[experts.size()][][];
        for (int m = 0; m < experts.size(); m++) {
            loc[m] = experts.get(m).mu().castTo(DataType.DOUBLE).toDoubleMatrix();          // [B][Ds]
            logScale[m] = experts.get(m).logvar().castTo(DataType.DOUBLE).toDoubleMatrix();
        }
        double[][] ploc = privatePart == null ? null : privatePart.mu().castTo(DataType.DOUBLE).toDoubleMatrix(); // [B][M Dp]
        double[][] pscale = privatePart == null ? null : privatePart.logvar().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] out = new double[zz.length];
        for (int i = 0; i < zz.length; i++) {
            int row = i % b;
            double[] terms = new double[observed[row].length];
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < terms.length; o++) {
                int m = observed[row][o];
                for (int d = 0; d < ds; d++) {
                    terms[o] += LaplaceMath.logDensity(zz[i][d], loc[m][row][d], logScale[m][row][d]);
                }
                max = Math.max(max, terms[o]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            out[i] = max + Math.log(sum / terms.length);
            for (int c = 0; ploc != null && c < ploc[row].length; c++) {
                out[i] += LaplaceMath.logDensity(zz[i][ds + c], ploc[row][c], pscale[row][c]);
            }
        }
        return Nd4j.createFromArray(out).castTo(z.dataType());
    }

    /**
     * For samples [from, to), one mixture component per row drawn uniformly from the row's observed experts
     * (seeded by (seed, k) like the noise): the chosen mu and logvar {@code [(to-from)*B, D]}.
     */
    private Gaussian components(long seed, int from, int to) {
        int b = rows();
        int m = experts.size();
        double[] oneHot = new double[(to - from) * b * m];
        for (int k = from; k < to; k++) {
            SplittableRandom random = new SplittableRandom(Seeds.derive(Seeds.derive(seed, k), 1));
            for (int row = 0; row < b; row++) {
                int[] obs = observed[row];
                oneHot[((k - from) * b + row) * m + obs[random.nextInt(obs.length)]] = 1.0;
            }
        }
        INDArray choice = Nd4j.create(oneHot, new long[] {(long) (to - from) * b, m}, DataType.DOUBLE)
                .castTo(presence.dataType());                                              // [C*B, M] one-hot
        int d = experts.get(0).dim();
        INDArray mu = Nd4j.zeros(presence.dataType(), (long) (to - from) * b, d);          // [C*B, Ds]
        INDArray logvar = Nd4j.zeros(presence.dataType(), (long) (to - from) * b, d);      // [C*B, Ds]
        for (int e = 0; e < m; e++) {
            INDArray pick = choice.getColumn(e).dup().reshape(choice.size(0), 1);           // [C*B, 1]
            Gaussian tiled = experts.get(e).repeat(to - from);                              // [C*B, D]
            mu.addi(tiled.mu().mulColumnVector(pick));
            logvar.addi(tiled.logvar().mulColumnVector(pick));
        }
        return new Gaussian(mu, logvar);
    }
}
