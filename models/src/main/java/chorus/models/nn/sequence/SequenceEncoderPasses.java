package chorus.models.nn.sequence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent sequence encoder's passes (the MVAE reference's MultiMNIST text encoder): one-hot tokens
 * {@code [B, L*V]} (position-major) are embedded ({@code [V, E]}, no bias), read by a bidirectional GRU of
 * hidden size H, and the last state of each direction (forward after position L-1, backward after
 * position 0), side by side, maps to the output by a dense layer {@code [2H, out]}. Blocks: embedding,
 * forward GRU (x, h), backward GRU (x, h), output.
 */
final class SequenceEncoderPasses extends RecurrentPasses {

    private final int length;
    private final int vocabulary;
    private final GruLayer ahead;
    private final GruLayer behind;
    private List<INDArray> tokens; // the kept forward's one-hot positions [B, V] each
    private INDArray last;         // [B, 2H]

    SequenceEncoderPasses(MultiLayerNetwork net, int length, int vocabulary) {
        super(net);
        this.length = length;
        this.vocabulary = vocabulary;
        this.ahead = new GruLayer(blocks.get(1), blocks.get(2));
        this.behind = new GruLayer(blocks.get(3), blocks.get(4));
    }

    @Override
    INDArray run(INDArray in, boolean keep) {
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> embedded = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            INDArray x = cols(in, (long) t * vocabulary, vocabulary);    // [B, V]
            xs.add(x);
            embedded.add(affine(x, blocks.get(0)));                      // [B, E]
        }
        List<INDArray> reversed = new ArrayList<>(embedded);
        Collections.reverse(reversed);
        INDArray h0 = zeros(in, in.size(0), ahead.hidden());
        List<INDArray> forward = ahead.forward(embedded, h0, keep);
        List<INDArray> backward = behind.forward(reversed, h0, keep);
        INDArray both = Nd4j.hstack(forward.get(length - 1), backward.get(length - 1)); // [B, 2H]
        if (keep) {
            tokens = xs;
            last = both;
        }
        return affine(both, blocks.get(5));                              // [B, out]
    }

    @Override
    INDArray backprop(INDArray eps) {
        int hidden = ahead.hidden();
        INDArray dBoth = affineBackward(last, blocks.get(5), eps);       // [B, 2H]
        List<INDArray> dAhead = new ArrayList<>(Collections.nCopies(length, (INDArray) null));
        List<INDArray> dBehind = new ArrayList<>(Collections.nCopies(length, (INDArray) null));
        dAhead.set(length - 1, cols(dBoth, 0, hidden));
        dBehind.set(length - 1, cols(dBoth, hidden, hidden));
        List<INDArray> fromAhead = ahead.backward(dAhead);              // dL/d(embedded_t), then dh0
        List<INDArray> fromBehind = behind.backward(dBehind);           // in reversed order, then dh0
        INDArray[] dx = new INDArray[length];
        for (int t = 0; t < length; t++) {
            INDArray dEmbedded = fromAhead.get(t).add(fromBehind.get(length - 1 - t)); // [B, E]
            dx[t] = affineBackward(tokens.get(t), blocks.get(0), dEmbedded);         // [B, V]
        }
        tokens = null;
        last = null;
        return Nd4j.hstack(dx);                                          // [B, L*V]
    }

    @Override
    public void discard() {
        ahead.discard();
        behind.discard();
        tokens = null;
        last = null;
    }
}
