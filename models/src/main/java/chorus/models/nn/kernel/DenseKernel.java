package chorus.models.nn.kernel;

import static chorus.models.nn.kernel.Buffers.rows;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fully connected layer {@code out = f(in W + b)} over views of the network's flat parameters
 * and gradient (DL4J's layout: {@code W [nIn, nOut]}, {@code b [1, nOut]}), with the backward
 * {@code dW = in^T dPre}, {@code db = sum_rows dPre}, {@code dIn = dPre W^T}.
 */
final class DenseKernel extends LayerKernel {

    private static final MMulTranspose PLAIN = MMulTranspose.allFalse();
    private static final MMulTranspose TRANSPOSE_A = MMulTranspose.builder().transposeA(true).build();
    private static final MMulTranspose TRANSPOSE_B = MMulTranspose.builder().transposeB(true).build();


    DenseKernel(INDArray w, INDArray b, INDArray dW, INDArray dB, Activations activation) {
        super(w, b, dW, dB, activation);
    }

    @Override
    public INDArray forward(INDArray x, IntraOp par) {
        long batch = x.size(0);
        in = x;
        outputBuffers(batch, w.size(1)); // [B, nOut]
        par.forEach(batch, batch * w.length(), (c, from, to) -> {
            INDArray p = rows(pre, from, to);
            Nd4j.exec(new Mmul(rows(x, from, to), w, p, 1.0, 0.0, PLAIN));
            p.addiRowVector(b);
            activate(from, to);
        });
        return out;
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient, IntraOp par) {
        long batch = in.size(0);
        INDArray dPre = preGradientBuffer(batch, w.size(1)); // [B, nOut]
        INDArray dIn = inputGradient ? buffers.get("dIn", batch, w.size(0)) : null; // [B, nIn]
        long work = 2 * batch * w.length();
        int chunks = par.chunks(batch, work);
        if (dIn != null && chunks == 2) {
            // Two threads: the weight gradient and the input gradient are independent products, one each, over
            // all rows: no partial gradients to add, and neither product is cut to half its inner dimension.
            par.forEach(batch, batch * w.size(1), (c, from, to) -> preGradient(dOut, dPre, from, to));
            INDArray d = dPre == null ? dOut : dPre; // [B, nOut]
            par.forEach(2, work, (c, from, to) -> {
                if (c == 0) {
                    Nd4j.exec(new Mmul(in, d, dW, 1.0, 0.0, TRANSPOSE_A)); // [nIn, nOut]
                    Nd4j.exec(new Sum(d, dB, 0)); // [nOut]
                } else {
                    Nd4j.exec(new Mmul(d, w, dIn, 1.0, 0.0, TRANSPOSE_B)); // [B, nIn]
                }
            });
            return dIn;
        }
        INDArray[] dWs = buffers.partials("dW", chunks, dW);
        INDArray[] dBs = buffers.partials("dB", chunks, dB);
        par.forEach(batch, work, (c, from, to) -> {
            INDArray d = preGradient(dOut, dPre, from, to); // [b, nOut]
            Nd4j.exec(new Mmul(rows(in, from, to), d, dWs[c], 1.0, 0.0, TRANSPOSE_A)); // [nIn, nOut]
            Nd4j.exec(new Sum(d, dBs[c], 0)); // [nOut]
            if (dIn != null) {
                Nd4j.exec(new Mmul(d, w, rows(dIn, from, to), 1.0, 0.0, TRANSPOSE_B)); // [b, nIn]
            }
        });
        Buffers.sum(dWs);
        Buffers.sum(dBs);
        return dIn;
    }

    @Override
    public String name() {
        return "dense " + w.size(0) + "->" + w.size(1) + (activation == Activations.SWISH ? " swish" : "");
    }

}
