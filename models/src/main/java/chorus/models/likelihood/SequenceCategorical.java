package chorus.models.likelihood;

import chorus.models.check.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A categorical per position of a token sequence (the MVAE reference's MultiMNIST text likelihood): logits
 * and one-hot tokens {@code [R, L*V]}, position after position, token {@code V - 1} is padding.
 * log p(x | l) = sum_t m_t log softmax(l_t)[x_t] with m_t = 1 up to and including the first padding token
 * and 0 after it: the first padding token is scored, as the end of the sequence (so the length is
 * modelled and a greedy decoder learns where to stop); the padding that fills the rest is ignored. Each
 * position's term is {@link Categorical}'s, applied to the {@code [R*L, V]} rows.
 *
 * @param vocabulary V, the tokens including padding
 */
public record SequenceCategorical(int vocabulary) implements Likelihood {

    private static final Categorical POSITION = new Categorical();

    public SequenceCategorical {
        if (vocabulary < 2) {
            throw new IllegalArgumentException("sequence likelihood vocabulary " + vocabulary
                    + ", expected >= 2 (the tokens and padding)");
        }
    }

    @Override
    public INDArray logProb(INDArray params, INDArray x) {
        Likelihoods.requirePair(this, params, x);
        long rows = params.size(0);
        long length = params.size(1) / vocabulary;
        INDArray perPosition = POSITION.logProb(positions(params), positions(x.castTo(params.dataType()))); // [R*L]
        return perPosition.reshape(rows, length).muli(scored(x, params)).sum(1);                          // [R]
    }

    @Override
    public INDArray backward(INDArray params, INDArray x, INDArray dLogProb) {
        INDArray g = Likelihoods.requireUpstream(this, params, x, dLogProb);       // [R, 1]
        INDArray upstream = scored(x, params).mulColumnVector(g);                  // [R, L]
        INDArray d = POSITION.backward(positions(params), positions(x.castTo(params.dataType())),
                upstream.reshape(upstream.length()));                              // [R*L, V]
        return d.reshape(params.size(0), params.size(1));                          // [R, L*V]
    }

    /** Each position's token probabilities softmax(l_t) {@code [R, L*V]}; the greedy token is their argmax. */
    @Override
    public INDArray mean(INDArray params) {
        Checks.matrix("likelihood params", params);
        requireWhole(params.size(1));
        return POSITION.mean(positions(params)).reshape(params.size(0), params.size(1));
    }

    @Override
    public int paramSize(int dataSize) {
        Checks.positive("data size", dataSize);
        requireWhole(dataSize);
        return dataSize;
    }

    /** m {@code [R, L]}: 1 up to and including the first padding token of each row of x, 0 after it. */
    INDArray scored(INDArray x, INDArray like) {
        long rows = x.size(0);
        int length = (int) (x.size(1) / vocabulary);
        double[] m = new double[(int) rows * length];
        for (int r = 0; r < rows; r++) {
            boolean ended = false;
            for (int t = 0; t < length; t++) {
                m[r * length + t] = ended ? 0 : 1;
                ended |= x.getDouble(r, (long) t * vocabulary + vocabulary - 1) > 0.5;
            }
        }
        return Nd4j.create(m, new long[] {rows, length}, 'c').castTo(like.dataType());
    }

    /** A {@code [R, L*V]} array as its {@code [R*L, V]} positions (c order: row-major, position-major). */
    private INDArray positions(INDArray a) {
        return a.dup('c').reshape(a.length() / vocabulary, vocabulary);
    }

    private void requireWhole(long width) {
        if (width % vocabulary != 0) {
            throw new IllegalArgumentException("sequence likelihood: " + width + " values per row, expected a multiple"
                    + " of the vocabulary " + vocabulary + " (one-hot tokens, position after position)");
        }
    }
}
