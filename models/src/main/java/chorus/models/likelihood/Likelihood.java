package chorus.models.likelihood;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder's likelihood p_m(x_m | z): the decoder emits {@code params [R, P]} per row and the
 * likelihood scores the data {@code x [R, size]} with them. Every row is one (term, sample, data row)
 * triple; masks and weights lambda_m are applied by the objective (or, for the concatenated baseline, by
 * {@link chorus.models.concat.Segmented}, which reads per-row presence from the data row).
 *
 * <p>Implementations are stateless, dtype-agnostic (the params' type) and never mutate their inputs. The
 * interface is open (not sealed) so that a model family can bring a likelihood of its own, as the
 * concatenated VAE does with {@code Segmented} in its package.
 */
public interface Likelihood {

    /** log p(x | params) per row, summed over the row's values: {@code [R]}. */
    INDArray logProb(INDArray params, INDArray x);

    /** Vector-Jacobian product of {@link #logProb}: dL/dparams {@code [R, P]} from dL/dlogProb {@code [R]}. */
    INDArray backward(INDArray params, INDArray x, INDArray dLogProb);

    /** The decoded value {@code [R, size]}: the distribution's mean (a fresh array). */
    INDArray mean(INDArray params);

    /** P, the number of decoder outputs per row for data rows of {@code dataSize} values. */
    int paramSize(int dataSize);

    /**
     * The density itself, without weights lambda_m: this likelihood, except for {@link chorus.models.concat.Segmented}, the one
     * that carries weights, which returns its segments with weight 1.
     */
    default Likelihood unweighted() {
        return this;
    }
}
