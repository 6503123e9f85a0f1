package chorus.models.nn.kernel;

import static chorus.models.nn.kernel.Buffers.rows;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D convolution or transposed convolution, NCHW, calling libnd4j's own {@code conv2d} /
 * {@code deconv2d} and their {@code _bp} ops (oneDNN in the onednn build) on views of the network's
 * flat parameters and gradient in DL4J's layouts: convolution weights {@code [oC, iC, kH, kW]}
 * (libnd4j weights format 1), transposed-convolution weights {@code [iC, oC, kH, kW]} (also format
 * 1), bias {@code [oC]}. Padding is explicit (DL4J's {@code Truncate} mode), dilation 1.
 */
final class ConvKernel extends LayerKernel {

    /** The geometry: kernel, stride and padding per axis, and the input's channels, height and width. */
    record Geometry(int kH, int kW, int sH, int sW, int pH, int pW, long inC, long inH, long inW, long outC) {

        long outH(boolean transposed) {
            return transposed ? sH * (inH - 1) + kH - 2L * pH : (inH + 2L * pH - kH) / sH + 1;
        }

        long outW(boolean transposed) {
            return transposed ? sW * (inW - 1) + kW - 2L * pW : (inW + 2L * pW - kW) / sW + 1;
        }
    }

    private static final MMulTranspose TRANSPOSE_B = MMulTranspose.builder().transposeB(true).build();

    private final boolean transposed;
    private final Geometry g;
    private final long outH;
    private final long outW;
    private final long work;   // multiply-adds of one row's forward

    ConvKernel(boolean transposed, Geometry g, INDArray w, INDArray b, INDArray dW, INDArray dB, Activations activation) {
        super(w, b, dW, dB, activation);
        this.transposed = transposed;
        this.g = g;
        this.outH = g.outH(transposed);
        this.outW = g.outW(transposed);
        // each input (transposed) or output position meets kH*kW*iC*oC weights once
        this.work = (long) g.kH() * g.kW() * g.inC() * g.outC() * (transposed ? g.inH() * g.inW() : outH * outW);
    }

    @Override
    public INDArray forward(INDArray x, IntraOp par) {
        long batch = x.size(0);
        in = x;
        outputBuffers(batch, g.outC(), outH, outW);
        par.forEach(batch, batch * work, (c, from, to) -> {
            INDArray p = rows(pre, from, to);
            // the bias is added apart: oneDNN's transposed convolution adds it in a reference loop (15 of 55 ms)
            Nd4j.exec(op(transposed ? "deconv2d" : "conv2d").addInputs(rows(x, from, to), w).addOutputs(p).build());
            Nd4j.exec(DynamicCustomOp.builder("biasadd").addInputs(p, b).addOutputs(p).addBooleanArguments(true).build());
            activate(from, to);
        });
        return out;
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient, IntraOp par) {
        long batch = in.size(0);
        INDArray dPre = preGradientBuffer(batch, g.outC(), outH, outW);
        // libnd4j always computes dL/dinput; for a first layer it is simply not returned.
        INDArray dIn = buffers.get("dIn", batch, g.inC(), g.inH(), g.inW());
        int chunks = par.chunks(batch, 2 * batch * work);
        INDArray[] dWs = buffers.partials("dW", chunks, dW);
        INDArray[] dBs = buffers.partials("dB", chunks, dB);
        boolean viaIm2col = transposed && g.outC() == 1;
        INDArray[][] scratch = viaIm2col ? im2colScratch(batch, chunks) : null; // per chunk: {cols, per-row dW}
        par.forEach(batch, 2 * batch * work, (c, from, to) -> {
            INDArray d = preGradient(dOut, dPre, from, to);
            if (viaIm2col) {
                oneChannelImageBackward(rows(in, from, to), d, rows(dIn, from, to), dWs[c], dBs[c], scratch[c]);
            } else {
                Nd4j.exec(op(transposed ? "deconv2d_bp" : "conv2d_bp").addInputs(rows(in, from, to), w, b, d)
                        .addOutputs(rows(dIn, from, to), dWs[c], dBs[c]).build());
            }
        });
        Buffers.sum(dWs);
        Buffers.sum(dBs);
        return inputGradient ? dIn : null;
    }

    /**
     * The backward of a transposed convolution that outputs one channel (a decoder's grayscale image),
     * where oneDNN's weight gradient ran at ~10 GFLOP/s (27 of the layer's 29 ms at batch 200): dL/dx is
     * the forward convolution of dL/dy with the same weights ({@code [iC, 1, kH, kW]} read as conv
     * weights {@code [oC, iC, kH, kW]}), and dL/dW = sum over rows of {@code x [iC, inH*inW]} times
     * {@code im2col(dL/dy) [kH*kW, inH*inW]} transposed, one batched matmul. Measured 17 ms against 27 ms
     * on one thread; with three channels it was slower, so it is used for one only.
     */
    private void oneChannelImageBackward(INDArray x, INDArray dY, INDArray dX, INDArray dWPart, INDArray dBPart,
                                         INDArray[] scratch) {
        long rows = x.size(0);
        Nd4j.exec(op("conv2d").addInputs(dY, w).addOutputs(dX).build()); // [b, iC, inH, inW]
        INDArray cols = scratch[0]; // [b, 1, kH, kW, inH, inW]
        Nd4j.exec(DynamicCustomOp.builder("im2col").addInputs(dY).addOutputs(cols)
                .addIntegerArguments(g.kH(), g.kW(), g.sH(), g.sW(), g.pH(), g.pW(), 1, 1, 0)
                .addFloatingPointArguments(0.0).build());
        long positions = g.inH() * g.inW();
        INDArray perRow = scratch[1]; // [b, iC, kH*kW]
        Nd4j.exec(new Mmul(x.reshape('c', rows, g.inC(), positions), cols.reshape('c', rows, (long) g.kH() * g.kW(), positions),
                perRow, 1.0, 0.0, TRANSPOSE_B));
        Nd4j.exec(new Sum(perRow, dWPart.reshape('c', g.inC(), (long) g.kH() * g.kW()), 0)); // [iC, kH*kW]
        Nd4j.exec(new Sum(dY, dBPart.reshape(dBPart.length()), 0, 2, 3)); // [1]
    }

    /** Per chunk, the im2col columns and the per-row weight gradients of {@link #oneChannelImageBackward}. */
    private INDArray[][] im2colScratch(long batch, int chunks) {
        INDArray[][] scratch = new INDArray[chunks][];
        for (int c = 0; c < chunks; c++) {
            long rows = IntraOp.from(batch, chunks, c + 1) - IntraOp.from(batch, chunks, c);
            scratch[c] = new INDArray[] {
                buffers.get("cols#" + c, rows, 1, g.kH(), g.kW(), g.inH(), g.inW()),
                buffers.get("perRow#" + c, rows, g.inC(), (long) g.kH() * g.kW())};
        }
        return scratch;
    }

    @Override
    public String name() {
        return (transposed ? "deconv2d " : "conv2d ") + g.inC() + "->" + g.outC() + " " + g.kH() + "x" + g.kW()
                + "/" + g.sH() + (activation == Activations.SWISH ? " swish" : "");
    }


    private DynamicCustomOp.DynamicCustomOpsBuilder op(String name) {
        // kH, kW, sH, sW, pH, pW, dH, dW, paddingMode (0: explicit), dataFormat (0: NCHW), weightsFormat (1)
        return DynamicCustomOp.builder(name)
                .addIntegerArguments(g.kH(), g.kW(), g.sH(), g.sW(), g.pH(), g.pW(), 1, 1, 0, 0, 1);
    }
}
