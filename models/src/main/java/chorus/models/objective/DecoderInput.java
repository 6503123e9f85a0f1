package chorus.models.objective;

import chorus.data.Modality;
import chorus.models.nn.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What a decoder reads. Most decoders read z alone; a teacher-forced decoder ({@link Network#targetWidth()}
 * &gt; 0, the recurrent sequence decoder) reads {@code [z | x]}, the data it is scored against, when scoring,
 * and decodes greedily, feeding back its own most likely tokens, when generating.
 */
public final class DecoderInput {

    private DecoderInput() {
    }

    /** The input that scores {@code x [R, size]} given {@code z [R, D]}: z, or {@code [z | x]} for a teacher-forced decoder. */
    public static INDArray scoring(Network decoder, INDArray z, INDArray x) {
        if (decoder.targetWidth() == 0) {
            return z;
        }
        if (x.size(1) != decoder.targetWidth() || x.size(0) != z.size(0)) {
            throw new IllegalArgumentException("teacher-forced decoder: data " + java.util.Arrays.toString(x.shape())
                    + " for " + z.size(0) + " latent rows, expected [" + z.size(0) + ", " + decoder.targetWidth() + "]");
        }
        return Nd4j.hstack(z, x.castTo(z.dataType()));                        // [R, D + size]
    }

    /** dL/dz {@code [R, D]} from a decoder's dL/d(input): the input itself unless teacher-forced, then its z columns. */
    public static INDArray latentGradient(Network decoder, INDArray dInput) {
        if (decoder.targetWidth() == 0) {
            return dInput;
        }
        long latent = decoder.inputSize() - decoder.targetWidth();
        return dInput.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent)).dup();
    }

    /**
     * The decoder's output for latent rows {@code z [R, D]} without data (stateless inference): the output of z,
     * or for a teacher-forced decoder of sequence modality {@code m} the logits of greedy decoding: position t
     * reads the most likely tokens before it, and after a padding token (the end) every token is padding.
     */
    public static INDArray generating(Network decoder, Modality m, INDArray z) {
        if (decoder.targetWidth() == 0) {
            return decoder.output(z);
        }
        int[] shape = m.shape(); // [length, vocabulary]
        if (m.kind() != Modality.Kind.SEQUENCE || (long) shape[0] * shape[1] != decoder.targetWidth()) {
            throw new IllegalArgumentException("greedy decoding: modality " + m + " for a decoder reading "
                    + decoder.targetWidth() + " data columns, expected a sequence of that many one-hot values");
        }
        int length = shape[0];
        int vocabulary = shape[1];
        long rows = z.size(0);
        INDArray tokens = Nd4j.zeros(z.dataType(), rows, (long) length * vocabulary); // [R, L*V]
        boolean[] ended = new boolean[(int) rows];
        for (int t = 0; t < length; t++) {
            INDArray logits = decoder.output(Nd4j.hstack(z, tokens));                   // [R, L*V]
            INDArray at = logits.get(NDArrayIndex.all(), NDArrayIndex.interval((long) t * vocabulary,
                    (long) (t + 1) * vocabulary));                                      // [R, V]
            INDArray best = at.argMax(1);                                               // [R]
            for (int r = 0; r < rows; r++) {
                int token = ended[r] ? m.paddingToken() : best.getInt(r);
                tokens.putScalar(r, (long) t * vocabulary + token, 1.0);
                ended[r] |= token == m.paddingToken();
            }
        }
        return decoder.output(Nd4j.hstack(z, tokens));                                 // [R, L*V]
    }
}
