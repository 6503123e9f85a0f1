package chorus.models.concat;

import chorus.models.check.Checks;
import chorus.models.likelihood.Likelihood;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The likelihood of the vanilla VAE on concatenated modalities, the baseline that MVAE (Wu &amp; Goodman
 * 2018) and MMVAE (Shi et al. 2019) compare against: ONE decoder emits every modality's likelihood
 * parameters side by side, and each modality is scored with its own likelihood and weight:
 * <pre>
 *   log p(x | params) = sum_m o_m lambda_m log p_m(x_m | params_m)
 * </pre>
 * with o_m = 1 where the row observes modality m and 0 where it does not.
 *
 * <p>Layout of one row. {@code params [R, sum_m P_m]}: segment m holds P_m = p_m.paramSize(size_m)
 * columns, in segment order. {@code x [R, S + M]} with S = sum_m size_m: segment m's size_m values in
 * segment order, then M presence columns o_m in {0, 1} ({@code chorus.models.concat.Concatenation} builds
 * such rows from a multimodal batch).
 *
 * <p>Why the presence travels inside x. A {@link Likelihood} sees only {@code (params, x)} per row, and
 * the rows it sees are chosen by the objective (every term's z row gathers its own data row), so the
 * per-modality mask must arrive through the one per-row channel every stage already carries: the data
 * row. Appended as columns it is row-aligned with the values by construction, keeps the likelihood
 * stateless, and lets the reference model, the ELBO stages and the actors run unchanged. Rejected: a
 * likelihood holding one batch's mask (stateful, and wrong once term fusion reorders rows), and
 * in-band sentinels such as NaN (they break the finite checks and the encoder's input). A consequence,
 * intended: the encoder over the joint row sees the presence columns as missingness indicators beside
 * the zero-filled values of absent modalities, so an absent image is not an observed black one.
 *
 * <p>Masking. A segment's likelihood runs only on the rows that observe it: the values of an absent
 * segment are never read, it contributes exactly 0 and its parameters get exactly zero gradient. A
 * row that observes nothing scores 0. Weights lambda_m live here, so the objective uses lambda = 1.
 *
 * @param segments the modalities' likelihoods, sizes and weights, in column order
 */
public record Segmented(List<Segment> segments) implements Likelihood {

    /**
     * One modality's columns.
     *
     * @param likelihood its own likelihood (not itself segmented)
     * @param size       its number of data values per row
     * @param weight     lambda_m >= 0
     */
    public record Segment(Likelihood likelihood, int size, double weight) {

        public Segment {
            Objects.requireNonNull(likelihood, "segment likelihood");
            if (likelihood instanceof Segmented) {
                throw new IllegalArgumentException("segment likelihood: " + likelihood
                        + ", expected a single modality's likelihood, not a nested segmented one");
            }
            Checks.positive("segment size", size);
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("segment weight: " + weight + ", expected a finite value >= 0");
            }
        }

        /** P_m, the decoder outputs of this segment. */
        public int paramSize() {
            return likelihood.paramSize(size);
        }
    }

    public Segmented {
        if (segments == null || segments.isEmpty()) {
            throw new IllegalArgumentException("segmented likelihood: " + segments + ", expected one or more segments");
        }
        segments = List.copyOf(segments);
    }

    /** The same segments with weight 1: log p(x) as a density (the sum of the observed segments' log-likelihoods). */
    @Override
    public Segmented unweighted() {
        return new Segmented(segments.stream().map(s -> new Segment(s.likelihood(), s.size(), 1.0)).toList());
    }

    /** S, the data values per row before the presence columns. */
    public int valueColumns() {
        return segments.stream().mapToInt(Segment::size).sum();
    }

    /** S + M, the data columns per row. */
    public int dataColumns() {
        return valueColumns() + segments.size();
    }

    @Override
    public INDArray logProb(INDArray params, INDArray x) {
        requireLayout(params, x);
        int rowCount = (int) params.size(0);
        double[] total = new double[rowCount];
        int p = 0;
        int v = 0;
        for (int m = 0; m < segments.size(); m++) {
            Segment s = segments.get(m);
            int[] rows = observed(x, m);
            if (rows.length > 0) {
                INDArray lp = s.likelihood().logProb(rows(params, p, s.paramSize(), rows),
                        rows(x, v, s.size(), rows));                               // [R_m]
                double[] values = doubles(lp);
                for (int i = 0; i < rows.length; i++) {
                    total[rows[i]] += s.weight() * values[i];
                }
            }
            p += s.paramSize();
            v += s.size();
        }
        return Nd4j.createFromArray(total).castTo(params.dataType()); // [R]
    }

    /** dL/dparams_m = o_m lambda_m dL/dlogp_m per segment; exactly zero on rows that do not observe m. */
    @Override
    public INDArray backward(INDArray params, INDArray x, INDArray dLogProb) {
        requireLayout(params, x);
        int rowCount = (int) params.size(0);
        Checks.finite("upstream gradient dLogProb",
                Checks.vector("upstream gradient dLogProb", dLogProb, rowCount));
        double[] g = doubles(dLogProb);
        List<INDArray> parts = new ArrayList<>();
        int p = 0;
        int v = 0;
        for (int m = 0; m < segments.size(); m++) {
            Segment s = segments.get(m);
            int[] rows = observed(x, m);
            INDArray full = Nd4j.zeros(params.dataType(), rowCount, s.paramSize());      // [R, P_m]
            if (rows.length > 0) {
                double[] gm = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    gm[i] = s.weight() * g[rows[i]];
                }
                INDArray d = s.likelihood().backward(rows(params, p, s.paramSize(), rows), rows(x, v, s.size(), rows),
                        Nd4j.createFromArray(gm).castTo(params.dataType()));           // [R_m, P_m]
                if (rows.length == rowCount) {
                    full = d;
                } else {
                    ScatterAdd op = new ScatterAdd(full, Nd4j.createFromArray(rows), d);
                    op.addOutputArgument(full); // in place into zeros: observed rows get d, the rest stay +0
                    Nd4j.exec(op);
                }
            }
            parts.add(full);
            p += s.paramSize();
            v += s.size();
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.hstack(parts.toArray(INDArray[]::new)); // [R, sum P_m]
    }

    /** Every segment's mean side by side, then presence columns of 1 (the decoder reconstructs every modality). */
    @Override
    public INDArray mean(INDArray params) {
        Checks.finite("likelihood params", Checks.matrix("likelihood params", params));
        requireParamColumns(params);
        List<INDArray> parts = new ArrayList<>();
        int p = 0;
        for (Segment s : segments) {
            parts.add(s.likelihood().mean(params.get(NDArrayIndex.all(), NDArrayIndex.interval(p, p + s.paramSize())).dup()));
            p += s.paramSize();
        }
        parts.add(Nd4j.ones(params.dataType(), params.size(0), segments.size()));     // [R, M]
        return Nd4j.hstack(parts.toArray(INDArray[]::new));                           // [R, S + M]
    }

    /** The sum of the segments' P_m; {@code dataSize} must be S + M. */
    @Override
    public int paramSize(int dataSize) {
        if (dataSize != dataColumns()) {
            throw new IllegalArgumentException("segmented likelihood: data size " + dataSize + ", expected "
                    + dataColumns() + " (" + valueColumns() + " values + " + segments.size() + " presence columns)");
        }
        return segments.stream().mapToInt(Segment::paramSize).sum();
    }

    private void requireLayout(INDArray params, INDArray x) {
        Checks.finite("likelihood params", Checks.matrix("likelihood params", params));
        Checks.finite("likelihood data x", Checks.matrix("likelihood data x", x));
        if (!params.dataType().isFPType()) {
            throw new IllegalArgumentException("likelihood params: data type " + params.dataType()
                    + ", expected a floating type");
        }
        requireParamColumns(params);
        if (x.size(0) != params.size(0) || x.size(1) != dataColumns()) {
            throw new IllegalArgumentException("segmented likelihood data x: shape " + Checks.shape(x) + ", expected ["
                    + params.size(0) + ", " + dataColumns() + "] (" + valueColumns() + " values + "
                    + segments.size() + " presence columns)");
        }
        Checks.binary("segmented likelihood presence columns",
                x.get(NDArrayIndex.all(), NDArrayIndex.interval(valueColumns(), dataColumns())));
    }

    private void requireParamColumns(INDArray params) {
        int expected = paramSize(dataColumns());
        if (params.size(1) != expected) {
            throw new IllegalArgumentException("segmented likelihood params: shape " + Checks.shape(params)
                    + ", expected [" + params.size(0) + ", " + expected + "] (" + this + ")");
        }
    }

    /** The rows whose presence column for segment m is 1. */
    private int[] observed(INDArray x, int m) {
        double[] o = doubles(x.getColumn(valueColumns() + m));
        int n = 0;
        int[] out = new int[o.length];
        for (int r = 0; r < o.length; r++) {
            if (o[r] > 0.5) {
                out[n++] = r;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Columns {@code [from, from + width)} of the given rows: {@code [rows.length, width]}, a new array. */
    private static INDArray rows(INDArray a, int from, int width, int[] rows) {
        INDArray columns = a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + width)).dup('c'); // [R, width]
        return rows.length == a.size(0) ? columns : Nd4j.pullRows(columns, 1, rows);                     // [R_m, width]
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }
}
