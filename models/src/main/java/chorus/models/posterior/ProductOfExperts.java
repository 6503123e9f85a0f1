package chorus.models.posterior;

import chorus.models.check.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The product of Gaussian experts over many subsets at once (Wu &amp; Goodman 2018, MVAE; also every
 * subset posterior of MoPoE, Sutter et al. 2021). For subset S_t and data row b, with w_m = 1 when m is
 * in S_t and observed in row b:
 * <pre>
 *   T      = [includePrior] + sum_m w_m exp(-logvar_m)
 *   mu     = sum_m w_m mu_m exp(-logvar_m) / T
 *   logvar = -log T
 * </pre>
 * computed as ONE batched pass: the presence-masked precisions of all experts are stacked to
 * {@code [M, B*D]} and a single matmul with the subset matrix {@code [T, M]} sums them for every
 * (subset, row) pair; the precision-weighted means likewise. No loop over subsets.
 *
 * <p>The result is term-major {@code [T*B, D]}: row {@code t*B+b} is subset t of data row b. A pair
 * with no observed expert is undefined without the prior; it is returned as mu = 0, logvar = 0 (which is
 * exactly the prior N(0, I) when the prior is included) and flagged 0 in {@link #valid()}; no gradient
 * reaches any expert from such a row. The precision form is exact and finite in float and double for
 * logvar in [-30, 30] (precisions up to e^30 ~ 1e13); logvar is formed as -log T, never via a variance.
 *
 * <p>The instance is the forward result and keeps what {@link #backward} needs; it is immutable and
 * never mutates its inputs.
 */
public final class ProductOfExperts {

    private final Gaussian posterior;    // [T*B, D]
    private final INDArray valid;        // [T*B]
    private final INDArray subsets;      // [T, M] in the experts' type
    private final INDArray precisions;   // [M, B*D] presence-masked exp(-logvar_m)
    private final INDArray weighted;     // [M, B*D] mu_m P_m
    private final INDArray total;        // [T, B*D] T, set to 1 where undefined
    private final INDArray mean;         // [T, B*D] combined mu
    private final int experts;
    private final int batch;
    private final int dim;

    private ProductOfExperts(Gaussian posterior, INDArray valid, INDArray subsets, INDArray precisions,
            INDArray weighted, INDArray total, INDArray mean, int experts, int batch, int dim) {
        this.posterior = posterior;
        this.valid = valid;
        this.subsets = subsets;
        this.precisions = precisions;
        this.weighted = weighted;
        this.total = total;
        this.mean = mean;
        this.experts = experts;
        this.batch = batch;
        this.dim = dim;
    }

    /**
     * Combines the experts over every subset.
     *
     * @param experts      M experts, each {@code [B, D]} of one floating type (an absent expert's values
     *                     are never used, but must be finite)
     * @param presence     {@code [B, M]} 0/1, 1 where row b observes modality m
     * @param subsets      {@code [T, M]} 0/1, see {@link Subsets}
     * @param includePrior whether the prior expert N(0, I) joins every product (MVAE does)
     */
    public static ProductOfExperts combine(List<Gaussian> experts, INDArray presence, INDArray subsets,
            boolean includePrior) {
        int m = requireExperts(experts);
        Gaussian first = experts.get(0);
        int b = first.rows();
        int d = first.dim();
        DataType dtype = first.dtype();
        Checks.shape("presence mask", Checks.matrix("presence mask", presence), b, m);
        Checks.matrix("subsets", subsets);
        if (subsets.size(1) != m) {
            throw new IllegalArgumentException("subsets: shape " + Checks.shape(subsets) + ", expected [T, " + m
                    + "] (one column per expert)");
        }
        Subsets.requireMasks(subsets, presence);
        int t = (int) subsets.size(0);

        INDArray s = subsets.castTo(dtype);                                               // [T, M]
        INDArray w = presence.castTo(dtype).transpose().dup('c').reshape((long) m * b, 1); // [M*B, 1]
        // exp(-w logvar) w: an absent expert's logvar never reaches exp, so any finite value is harmless.
        INDArray prec = stack(experts, true).muliColumnVector(w).negi();                 // [M*B, D]
        prec = Transforms.exp(prec, false).muliColumnVector(w).reshape(m, (long) b * d);  // [M, B*D]
        INDArray weighted = stack(experts, false).reshape(m, (long) b * d).muli(prec);    // [M, B*D] mu_m P_m

        INDArray tot = mix(s, prec);                                                      // [T, B*D] summed precisions
        INDArray num = mix(s, weighted);                                                  // [T, B*D] summed mu P
        INDArray validTb = s.mmul(presence.castTo(dtype).transpose()).gt(0.5).castTo(dtype); // [T, B] |S_t ∩ O_b| > 0
        INDArray validCol = validTb.reshape((long) t * b, 1);                               // [T*B, 1]
        INDArray totRows = tot.reshape((long) t * b, d);                                    // [T*B, D]
        totRows = includePrior ? totRows.addi(1.0)
                : totRows.addiColumnVector(validCol.rsub(1.0));                             // undefined rows: T = 1
        tot = totRows.reshape(t, (long) b * d);                                             // [T, B*D]
        INDArray mean = num.divi(tot);                                                      // [T, B*D]
        INDArray logvar = Transforms.log(tot, true).negi();                                 // [T, B*D]
        Gaussian posterior = new Gaussian(mean.reshape((long) t * b, d), logvar.reshape((long) t * b, d));
        return new ProductOfExperts(posterior, validCol.reshape((long) t * b), s, prec, weighted, tot, mean, m, b, d);
    }

    /** The combined posteriors {@code [T*B, D]}, term-major (row {@code t*B+b} = subset t, data row b). */
    public Gaussian posterior() {
        return posterior;
    }

    /** {@code [T*B]} 0/1: 1 where the subset shares an observed expert with the row (see {@link Subsets.Rule#ANY_OBSERVED}). */
    public INDArray valid() {
        return valid;
    }

    /** Number of subsets T. */
    public int terms() {
        return (int) subsets.size(0);
    }

    /**
     * Vector-Jacobian product: dL/d(mu, logvar) of the combined posterior {@code [T*B, D]} to one gradient
     * per expert {@code [B, D]}, in expert order. An expert absent from a row gets exactly zero in that
     * row; undefined rows pass nothing on. With g_mu, g_lv the upstream gradients:
     * dT = -(g_mu mu + g_lv) / T, dNum = g_mu / T, then per expert (precision P_m, masked)
     * dmu_m = P_m S^T dNum and dlogvar_m = -(P_m S^T dT + mu_m P_m S^T dNum).
     */
    public List<GaussianGrad> backward(GaussianGrad dOut) {
        long rows = (long) terms() * batch;
        Checks.shape("upstream gradient dMu", dOut.dMu(), rows, dim);
        Checks.shape("upstream gradient dLogvar", dOut.dLogvar(), rows, dim);
        Checks.finite("upstream gradient dMu", Checks.sameType("upstream gradient dMu", dOut.dMu(), "posterior", mean));
        Checks.finite("upstream gradient dLogvar", Checks.sameType("upstream gradient dLogvar", dOut.dLogvar(), "posterior", mean));
        INDArray gMu = dOut.dMu().reshape(terms(), (long) batch * dim);             // [T, B*D]
        INDArray gLv = dOut.dLogvar().reshape(terms(), (long) batch * dim);         // [T, B*D]
        INDArray dNum = gMu.div(total);                                             // [T, B*D]
        INDArray dTot = gMu.mul(mean).addi(gLv).divi(total).negi();                 // [T, B*D]
        INDArray st = subsets.transpose();                                          // [M, T]
        INDArray dNumM = mix(st, dNum);                                             // [M, B*D]
        INDArray dTotM = mix(st, dTot);                                             // [M, B*D]
        INDArray dMus = dNumM.mul(precisions);                                      // [M, B*D] P_m S^T dNum
        INDArray dLogvars = dTotM.muli(precisions).addi(dNumM.muli(weighted)).negi(); // [M, B*D]
        List<GaussianGrad> grads = new ArrayList<>(experts);
        for (int m = 0; m < experts; m++) {
            grads.add(new GaussianGrad(dMus.getRow(m).dup().reshape(batch, dim),
                    dLogvars.getRow(m).dup().reshape(batch, dim)));
        }
        return grads;
    }

    /**
     * weights {@code [T, M]} times rows {@code [M, N]} (c-ordered) into a fresh c-ordered {@code [T, N]}:
     * one GEMM computing out^T = rows^T weights^T on the column-major views of the same memory, so no
     * operand or result is copied or re-ordered (N = B*D is in the thousands, T and M are small).
     */
    private static INDArray mix(INDArray weights, INDArray rows) {
        INDArray r = rows.ordering() == 'c' && rows.elementWiseStride() == 1 ? rows : rows.dup('c'); // [M, N]
        INDArray out = Nd4j.createUninitialized(rows.dataType(), new long[] {weights.size(0), rows.size(1)}, 'c'); // [T, N]
        Nd4j.gemm(r.transpose(), weights.transpose(), out.transpose(), false, false, 1.0, 0.0);
        return out;
    }

    /**
     * Experts' logvar (or mu) stacked expert-major into a fresh c-order {@code [M*B, D]} that the caller may
     * modify in place: row {@code m*B+b} is expert m, row b.
     */
    private static INDArray stack(List<Gaussian> experts, boolean logvar) {
        INDArray[] parts = new INDArray[experts.size()];
        for (int m = 0; m < parts.length; m++) {
            parts[m] = logvar ? experts.get(m).logvar() : experts.get(m).mu();
        }
        return parts.length == 1 ? parts[0].dup('c') : Nd4j.concat(0, parts); // [M*B, D]
    }

    /** At least one expert, all {@code [B, D]} of one type; returns M. */
    static int requireExperts(List<Gaussian> experts) {
        if (experts == null || experts.isEmpty()) {
            throw new IllegalArgumentException("experts: none, expected at least one Gaussian [B, D]");
        }
        Gaussian first = experts.get(0);
        for (int m = 0; m < experts.size(); m++) {
            Gaussian e = experts.get(m);
            if (e == null) {
                throw new IllegalArgumentException("expert " + m + ": null, expected a Gaussian "
                        + Arrays.toString(first.mu().shape()));
            }
            if (!Arrays.equals(e.mu().shape(), first.mu().shape()) || e.dtype() != first.dtype()) {
                throw new IllegalArgumentException("expert " + m + ": shape " + Checks.shape(e.mu()) + " "
                        + e.dtype() + ", expected " + Checks.shape(first.mu()) + " " + first.dtype() + " like expert 0");
            }
        }
        return experts.size();
    }
}
