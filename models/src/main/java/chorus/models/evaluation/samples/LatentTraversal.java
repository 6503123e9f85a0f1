package chorus.models.evaluation.samples;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Latent traversals: move one latent unit at a time away from a base point and decode, to see what each
 * unit controls. Row r of a traversal holds {@code steps} latents equal to the base except in unit
 * {@code dims[r]}, which takes {@code base_d + t} for t evenly spaced over [-range, +range]. The prior is
 * N(0, I), so t is in prior standard deviations; the base is the prior mean 0 or a posterior mean.
 *
 * <p>Which units to traverse: the active units of Burda et al. 2016 (Importance Weighted Autoencoders,
 * the "active units" measure). The activity of unit d is A_d = Var_x(E_{q(z|x)}[z_d]), the variance over
 * data rows x of the posterior mean: a unit whose posterior mean does not move with x carries no
 * information about x (its posterior has collapsed to the same place for every input), whatever its
 * value. Burda et al. count a unit as active when A_d &gt; 10^-2 ({@link #ACTIVE}). The variance is that of
 * the rows given (divided by N, not N - 1). For a mixture posterior (MMVAE) E_q[z] is the mixture's mean.
 */
public final class LatentTraversal {

    /** Burda et al.'s threshold: a unit with activity above it is active. */
    public static final double ACTIVE = 1e-2;

    private LatentTraversal() {
    }

    /**
     * The offsets t_i = range (2i - (steps - 1)) / (steps - 1), i = 0 .. steps-1: evenly spaced from -range
     * to +range, both ends included, t_i = -t_{steps-1-i} exactly (and 0 in the middle when {@code steps} is odd).
     */
    public static double[] offsets(int steps, double range) {
        if (steps < 2) {
            throw new IllegalArgumentException("traversal steps " + steps + ": expected at least 2");
        }
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("traversal range " + range + ": expected a finite number > 0");
        }
        double[] t = new double[steps];
        for (int i = 0; i < steps; i++) {
            t[i] = range * ((double) (2 * i - (steps - 1)) / (steps - 1)); // ratio in [-1, 1]: symmetric, ends exactly +-range
        }
        return t;
    }

    /**
     * The latents of a traversal of {@code base [1, D]} along each unit of {@code dims}: row
     * {@code r * steps + i} is the base with unit {@code dims[r]} set to {@code base[dims[r]] + offsets[i]}.
     *
     * @return {@code [dims.length * steps, D]} in the base's data type
     */
    public static INDArray latents(INDArray base, int[] dims, int steps, double range) {
        if (base.rank() != 2 || base.size(0) != 1) {
            throw new IllegalArgumentException("traversal base: shape " + Arrays.toString(base.shape())
                    + ", expected one row [1, D]");
        }
        int d = (int) base.size(1);
        if (dims.length == 0) {
            throw new IllegalArgumentException("traversal units: none, expected at least one of 0.." + (d - 1));
        }
        for (int u : dims) {
            if (u < 0 || u >= d) {
                throw new IllegalArgumentException("traversal unit " + u + ": expected 0.." + (d - 1)
                        + " (the latent has " + d + " units)");
            }
        }
        double[] t = offsets(steps, range);
        INDArray z = Nd4j.tile(base, dims.length * steps, 1);                           // [R*S, D]
        for (int r = 0; r < dims.length; r++) {
            double centre = base.getDouble(0, dims[r]);
            for (int i = 0; i < steps; i++) {
                z.putScalar(r * steps + i, dims[r], centre + t[i]);
            }
        }
        return z;
    }

    /** A_d = Var over rows of {@code means [N, D]} (the posterior means E_q[z | x] of N rows), divided by N. */
    public static double[] activity(INDArray means) {
        if (means.rank() != 2 || means.size(0) < 1) {
            throw new IllegalArgumentException("activity: posterior means of shape " + Arrays.toString(means.shape())
                    + ", expected [N, D] with N >= 1");
        }
        return means.var(false, 0).toDoubleVector();                                    // [D]
    }

    /** The {@code n} units of largest activity, most active first (equal activities: lower unit first). */
    public static int[] mostActive(double[] activity, int n) {
        if (n < 1 || n > activity.length) {
            throw new IllegalArgumentException("most active units: " + n + " asked, expected 1.." + activity.length);
        }
        return IntStream.range(0, activity.length).boxed()
                .sorted(Comparator.comparingDouble((Integer u) -> -activity[u]).thenComparingInt(u -> u))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    /**
     * E_q[z | x] {@code [N, D]} of the first {@code limit} rows of {@code data} (all when {@code limit <= 0}),
     * each given every modality it observes, combined by {@code rule}; in batches of {@code batchSize} rows,
     * each read by the model through {@code input} ({@code ModelFactory.input}). D is the model's joint latent.
     */
    public static INDArray posteriorMeans(MultimodalVae model, PosteriorRule rule, Dataset data, int limit,
            int batchSize, UnaryOperator<Batch> input) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("posterior means: batch size " + batchSize + ", expected >= 1");
        }
        int[] rows = data.firstRows(limit);
        if (rows.length == 0) {
            throw new IllegalArgumentException("posterior means: " + data.name() + "/" + data.split() + " has no rows");
        }
        List<String> all = model.modalities().stream().map(Modality::name).toList();
        List<INDArray> means = new ArrayList<>();
        for (Batch b : data.batches(rows, batchSize)) {
            means.add(Generation.posterior(model, rule, input.apply(b), all).mean());   // [B, D]
        }
        return means.size() == 1 ? means.get(0) : Nd4j.concat(0, means.toArray(INDArray[]::new)); // [N, D]
    }
}
