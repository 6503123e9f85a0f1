package chorus.models.nn.sequence;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The recurrent sequence decoder's passes (the MVAE reference's MultiMNIST text decoder), teacher-forced:
 * the input is {@code [z | x]} with z {@code [B, D]} and the target tokens x one-hot {@code [B, L*V]}. The
 * initial state of both GRU layers is {@code z Wzh + bzh}; step t reads swish(embedding of token t-1), a
 * start token for t = 0, beside z; the second layer reads the first's states; position t's logits are
 * {@code [h2_t | z] Wo + bo} ({@code [B, V]}). Position t depends on tokens before t only, so a greedy
 * decoder can run it on its own prefix ({@link chorus.models.objective.DecoderInput#greedy}). Blocks:
 * embedding {@code [V+1, E]} (row V: the start token), z to state, GRU 1 (x, h), GRU 2 (x, h), output.
 */
final class SequenceDecoderPasses extends RecurrentPasses {

    private final int latent;
    private final int length;
    private final int vocabulary;
    private final GruLayer first;
    private final GruLayer second;
    private INDArray z;            // the kept forward's [B, D]
    private List<INDArray> inputs; // one-hot token t-1 [B, V] (null for the start token)
    private List<INDArray> pre;    // embedding before swish [B, E]
    private List<INDArray> top;    // [h2_t | z] [B, H + D]

    SequenceDecoderPasses(MultiLayerNetwork net, int latent, int length, int vocabulary) {
        super(net);
        this.latent = latent;
        this.length = length;
        this.vocabulary = vocabulary;
        this.first = new GruLayer(blocks.get(2), blocks.get(3));
        this.second = new GruLayer(blocks.get(4), blocks.get(5));
    }

    @Override
    INDArray run(INDArray in, boolean keep) {
        long batch = in.size(0);
        INDArray zIn = cols(in, 0, latent);                                   // [B, D]
        INDArray embedding = blocks.get(0).w();                               // [V+1, E]
        INDArray tokenRows = embedding.get(NDArrayIndex.interval(0, vocabulary), NDArrayIndex.all()); // [V, E]
        INDArray start = embedding.get(NDArrayIndex.interval(vocabulary, vocabulary + 1), NDArrayIndex.all()); // [1, E]
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> pres = new ArrayList<>();
        List<INDArray> steps = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            INDArray x = t == 0 ? null : cols(in, latent + (long) (t - 1) * vocabulary, vocabulary); // [B, V]
            INDArray p = x == null ? Nd4j.zeros(in.dataType(), batch, embedding.size(1)).addiRowVector(start)
                    : x.mmul(tokenRows);                                      // [B, E]
            xs.add(x);
            pres.add(p);
            steps.add(Nd4j.hstack(swish(p), zIn));                            // [B, E + D]
        }
        INDArray h0 = affine(zIn, blocks.get(1));                             // [B, H]
        List<INDArray> h1 = first.forward(steps, h0, keep);
        List<INDArray> h2 = second.forward(h1, h0, keep);
        List<INDArray> tops = new ArrayList<>();
        INDArray[] logits = new INDArray[length];
        for (int t = 0; t < length; t++) {
            INDArray o = Nd4j.hstack(h2.get(t), zIn);                         // [B, H + D]
            tops.add(o);
            logits[t] = affine(o, blocks.get(6));                             // [B, V]
        }
        if (keep) {
            z = zIn;
            inputs = xs;
            pre = pres;
            top = tops;
        }
        return Nd4j.hstack(logits);                                           // [B, L*V]
    }

    @Override
    INDArray backprop(INDArray eps) {
        long batch = eps.size(0);
        int hidden = first.hidden();
        INDArray dz = Nd4j.zeros(eps.dataType(), batch, latent);              // [B, D]
        List<INDArray> dH2 = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            INDArray dTop = affineBackward(top.get(t), blocks.get(6), cols(eps, (long) t * vocabulary, vocabulary));
            dH2.add(cols(dTop, 0, hidden));
            dz.addi(cols(dTop, hidden, latent));
        }
        List<INDArray> fromSecond = second.backward(dH2);                    // dL/dh1_t, then dh0
        List<INDArray> fromFirst = first.backward(fromSecond.subList(0, length)); // dL/dstep_t, then dh0
        INDArray dh0 = fromFirst.get(length).add(fromSecond.get(length));    // [B, H]
        dz.addi(affineBackward(z, blocks.get(1), dh0));
        ParamBlocks.Block emb = blocks.get(0);
        INDArray dTokenRows = emb.dW().get(NDArrayIndex.interval(0, vocabulary), NDArrayIndex.all()); // [V, E]
        INDArray dStart = emb.dW().get(NDArrayIndex.interval(vocabulary, vocabulary + 1), NDArrayIndex.all());
        INDArray tokenRows = emb.w().get(NDArrayIndex.interval(0, vocabulary), NDArrayIndex.all());
        int e = (int) emb.w().size(1);
        INDArray[] dx = new INDArray[length];
        for (int t = 0; t < length; t++) {
            INDArray dStep = fromFirst.get(t);                                // [B, E + D]
            dz.addi(cols(dStep, e, latent));
            INDArray dPre = swishBackward(pre.get(t), cols(dStep, 0, e));    // [B, E]
            if (t == 0) {
                dStart.addi(dPre.sum(true, 0));
            } else {
                dTokenRows.addi(inputs.get(t).transpose().mmul(dPre));
                dx[t - 1] = dPre.mmul(tokenRows.transpose());                 // [B, V]
            }
        }
        dx[length - 1] = Nd4j.zeros(eps.dataType(), batch, vocabulary);      // the last token is read by no step
        discard();
        INDArray[] all = new INDArray[length + 1];
        all[0] = dz;
        System.arraycopy(dx, 0, all, 1, length);
        return Nd4j.hstack(all);                                              // [B, D + L*V]
    }

    @Override
    public void discard() {
        first.discard();
        second.discard();
        z = null;
        inputs = null;
        pre = null;
        top = null;
    }
}
