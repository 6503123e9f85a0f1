package chorus.models.posterior;

import chorus.models.check.Checks;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The uniform mixture of the observed experts, q(z | X) = (1/|O_b|) sum_{m in O_b} q_m(z | x_m)
 * (Shi et al. 2019, MMVAE), evaluated at K samples per data row, and the stratified sampler that
 * draws K samples from every expert (Shi et al. 2019, Sect. 3; the IWAE of Burda et al. 2016 and the
 * DReG estimator of Tucker et al. 2018 are built on both).
 *
 * <p>Sample rows are sample-major: row {@code k*B+b} of a {@code [K*B, D]} matrix is sample k of data
 * row b. The instance is the forward result of {@link #logDensity} and keeps what {@link #backward}
 * needs; it never mutates its inputs.
 */
public final class MixtureOfExperts {

    /** Added to the log density of an absent expert: exp(-1e30 - max) is exactly 0 in float and double. */
    private static final double ABSENT = -1e30;

    private final INDArray value;            // [K*B]
    private final INDArray valid;            // [K*B]
    private final INDArray responsibility;   // [M, K*B] share of expert m in the mixture at z
    private final INDArray z;                // [K*B, D]
    private final List<Gaussian> repeated;   // M x [K*B, D]
    private final INDArray present;          // [M] 1 when expert m is observed in some row
    private final int samples;

    private MixtureOfExperts(INDArray value, INDArray valid, INDArray responsibility, INDArray z,
            List<Gaussian> repeated, INDArray present, int samples) {
        this.value = value;
        this.valid = valid;
        this.responsibility = responsibility;
        this.z = z;
        this.repeated = repeated;
        this.present = present;
        this.samples = samples;
    }

    /**
     * log q(z | X_b) = logsumexp_{m observed in row b} log q_m(z) - log #observed_b, per sample row,
     * with a masked, max-shifted log-sum-exp. A row observing nothing is undefined: its value is 0 and
     * {@link #valid()} is 0 there.
     *
     * @param z        {@code [K*B, D]}, row {@code k*B+b} belongs to data row b
     * @param experts  M experts, each {@code [B, D]}
     * @param presence {@code [B, M]} 0/1
     */
    public static MixtureOfExperts logDensity(INDArray z, List<Gaussian> experts, INDArray presence) {
        int m = ProductOfExperts.requireExperts(experts);
        Gaussian first = experts.get(0);
        int b = first.rows();
        DataType dtype = first.dtype();
        Checks.shape("presence mask", Checks.binary("presence mask", Checks.matrix("presence mask", presence)), b, m);
        int k = samplesOf("point z", Checks.matrix("point z", z), first);
        Checks.sameType("point z", z, "expert 0 mu", first.mu());

        List<Gaussian> repeated = new ArrayList<>(m);
        INDArray[] logq = new INDArray[m];
        for (int e = 0; e < m; e++) {
            repeated.add(experts.get(e).repeat(k));
            logq[e] = repeated.get(e).logDensity(z).reshape(1, (long) k * b);            // [1, K*B]
        }
        INDArray lq = Nd4j.concat(0, logq);                                                // [M, K*B]
        INDArray w = Nd4j.tile(presence.castTo(dtype).transpose(), 1, k);                  // [M, K*B]
        INDArray count = w.sum(true, 0);                                                   // [1, K*B]
        INDArray validRow = count.gt(0.5).castTo(dtype);                                   // [1, K*B]
        INDArray shifted = w.rsub(1.0).muli(ABSENT).addi(lq);                              // [M, K*B] absent -> ~-1e30
        INDArray max = shifted.max(true, 0).muli(validRow);                                // [1, K*B] 0 where undefined
        INDArray weights = Transforms.exp(shifted.subiRowVector(max), false).muli(w);      // [M, K*B]
        INDArray total = weights.sum(true, 0).addi(validRow.rsub(1.0));                    // [1, K*B] 1 where undefined
        INDArray value = Transforms.log(total, true).addi(max)
                .subi(Transforms.log(Transforms.max(count, 1.0, true), false));            // [1, K*B]
        INDArray responsibility = weights.diviRowVector(total);                            // [M, K*B]
        INDArray present = presence.castTo(dtype).max(0);                                  // [M]
        return new MixtureOfExperts(value.reshape((long) k * b), validRow.reshape((long) k * b),
                responsibility, z, repeated, present, k);
    }

    /** log q(z | X) per sample row {@code [K*B]}; 0 where {@link #valid()} is 0. */
    public INDArray value() {
        return value;
    }

    /** {@code [K*B]} 0/1: 1 where the data row observes at least one expert. */
    public INDArray valid() {
        return valid;
    }

    /**
     * Vector-Jacobian product of {@link #logDensity}: given dL/dlogq {@code [K*B]}, returns dL/dz
     * {@code [K*B, D]} and one gradient per expert {@code [B, D]} (summed over the K samples). With
     * {@code detachExperts} the expert parameters are treated as constants inside log q (DReG, Tucker
     * et al. 2018: the score-function term is dropped) and every expert gradient is zero; dz is unchanged.
     * Absent experts and undefined rows receive exactly zero.
     */
    public Gradient backward(INDArray dLogDensity, boolean detachExperts) {
        long rows = z.size(0);
        Checks.finite("upstream gradient dLogDensity", Checks.vector("upstream gradient dLogDensity", dLogDensity, rows));
        INDArray g = dLogDensity.castTo(z.dataType()).reshape(1, rows);                    // [1, K*B]
        INDArray perExpert = responsibility.mulRowVector(g);                               // [M, K*B]
        INDArray dz = Nd4j.zeros(z.dataType(), z.shape());                                 // [K*B, D]
        List<GaussianGrad> grads = new ArrayList<>(repeated.size());
        for (int e = 0; e < repeated.size(); e++) {
            Gaussian expert = repeated.get(e);
            if (present.getDouble(e) == 0.0) {
                grads.add(GaussianGrad.zeros(expert.rows(0, expert.rows() / samples)));
                continue;
            }
            Gaussian.DensityGrad d = expert.logDensityBackward(z, perExpert.getRow(e));
            dz.addi(d.dz());
            grads.add(detachExperts ? GaussianGrad.zeros(expert.rows(0, expert.rows() / samples))
                    : d.params().sumBlocks(samples));
        }
        return new Gradient(dz, grads);
    }

    /** dL/dz {@code [K*B, D]} and dL/d(mu_m, logvar_m) {@code [B, D]} per expert, in expert order. */
    public record Gradient(INDArray dz, List<GaussianGrad> experts) {
        public Gradient {
            experts = List.copyOf(experts);
        }
    }

    /**
     * Stratified sampling: K reparameterised samples from every expert, z_m = mu_m + sigma_m eps_m, each
     * {@code [K*B, D]} sample-major. Rows of a data row that does not observe m are still computed from
     * the (finite) expert values but flagged 0 in {@link Stratified#valid(int)} and pass no gradient back.
     *
     * @param eps M noise matrices {@code [K*B, D]}, e.g. from {@link Noise#standardNormal}
     */
    public static Stratified sampleStratified(List<Gaussian> experts, INDArray presence, int k, List<INDArray> eps) {
        int m = ProductOfExperts.requireExperts(experts);
        Checks.positive("samples K", k);
        Gaussian first = experts.get(0);
        Checks.shape("presence mask", Checks.binary("presence mask", Checks.matrix("presence mask", presence)),
                first.rows(), m);
        if (eps == null || eps.size() != m) {
            throw new IllegalArgumentException("noise eps: " + (eps == null ? "null" : eps.size() + " matrices")
                    + ", expected " + m + " (one [K*B, D] per expert)");
        }
        List<Gaussian> repeated = new ArrayList<>(m);
        List<INDArray> zs = new ArrayList<>(m);
        List<INDArray> valid = new ArrayList<>(m);
        for (int e = 0; e < m; e++) {
            repeated.add(experts.get(e).repeat(k));
            zs.add(repeated.get(e).sample(eps.get(e)));                                         // [K*B, D]
            valid.add(Nd4j.tile(presence.getColumn(e).castTo(first.dtype()).reshape(1, first.rows()), 1, k)
                    .reshape((long) k * first.rows()));                                         // [K*B]
        }
        return new Stratified(repeated, List.copyOf(eps), zs, valid, k);
    }

    /** The K samples of every expert with what their backward needs. */
    public static final class Stratified {
        private final List<Gaussian> repeated;
        private final List<INDArray> eps;
        private final List<INDArray> z;
        private final List<INDArray> valid;
        private final int samples;

        private Stratified(List<Gaussian> repeated, List<INDArray> eps, List<INDArray> z, List<INDArray> valid, int samples) {
            this.repeated = repeated;
            this.eps = eps;
            this.z = List.copyOf(z);
            this.valid = List.copyOf(valid);
            this.samples = samples;
        }

        /** The samples of expert m {@code [K*B, D]}, row {@code k*B+b} = sample k of data row b. */
        public INDArray z(int m) {
            return z.get(m);
        }

        /** {@code [K*B]} 0/1: 1 where data row b observes expert m. */
        public INDArray valid(int m) {
            return valid.get(m);
        }

        /** Number of experts M. */
        public int experts() {
            return z.size();
        }

        /**
         * Vector-Jacobian product of the sampling: dL/dz_m {@code [K*B, D]} per expert to
         * dL/d(mu_m, logvar_m) {@code [B, D]}, summed over the K samples; invalid rows pass nothing.
         */
        public List<GaussianGrad> backward(List<INDArray> dz) {
            if (dz == null || dz.size() != z.size()) {
                throw new IllegalArgumentException("upstream gradients dz: " + (dz == null ? "null" : dz.size() + " matrices")
                        + ", expected " + z.size() + " (one [K*B, D] per expert)");
            }
            List<GaussianGrad> grads = new ArrayList<>(z.size());
            for (int e = 0; e < z.size(); e++) {
                Checks.shape("upstream gradient dz " + e, dz.get(e), z.get(e).shape());
                INDArray masked = dz.get(e).mulColumnVector(valid.get(e).reshape(valid.get(e).length(), 1)); // [K*B, D]
                grads.add(repeated.get(e).sampleBackward(eps.get(e), masked).sumBlocks(samples));
            }
            return grads;
        }
    }

    /** K for a {@code [K*B, D]} matrix of points against {@code [B, D]} experts. */
    private static int samplesOf(String name, INDArray points, Gaussian expert) {
        if (points.size(1) != expert.dim() || points.size(0) % expert.rows() != 0 || points.size(0) == 0) {
            throw new IllegalArgumentException(name + ": shape " + Checks.shape(points) + ", expected [K*"
                    + expert.rows() + ", " + expert.dim() + "] (K samples of each of the experts' rows)");
        }
        return (int) (points.size(0) / expert.rows());
    }
}
