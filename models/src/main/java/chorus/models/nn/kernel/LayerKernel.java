package chorus.models.nn.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a kernel with parameters holds: views of its weights and bias in the network's flat parameter
 * and gradient arrays (DL4J's layout), its activation, its reused buffers, and what the forward keeps for
 * the backward.
 */
abstract class LayerKernel implements Kernel {

    protected final INDArray w;  // weights, a view of the parameters (layout per subclass)
    protected final INDArray b;  // [nOut], a view of the parameters
    protected final INDArray dW; // as w, a view of the gradient
    protected final INDArray dB; // [nOut], a view of the gradient
    protected final Activations activation;
    protected final Buffers buffers;
    protected INDArray in;       // the forward's input (the caller keeps it unchanged until backward)
    protected INDArray pre;      // before the activation
    protected INDArray out;      // after it (pre itself for identity)
    protected INDArray sig;      // Swish's sigmoid of pre; null for identity

    LayerKernel(INDArray w, INDArray b, INDArray dW, INDArray dB, Activations activation) {
        this.w = w;
        this.b = b.reshape(b.length());
        this.dW = dW;
        this.dB = dB.reshape(dB.length());
        this.activation = activation;
        this.buffers = new Buffers(w.dataType());
    }

    /** Sets the forward's buffers for an output of {@code shape}: pre, and out and sig where the activation needs them. */
    protected void outputBuffers(long... shape) {
        pre = buffers.get("pre", shape);
        out = activation.needsBuffer() ? buffers.get("out", shape) : pre;
        sig = activation.needsBuffer() ? buffers.get("sig", shape) : null;
    }

    /** The backward's dL/d(pre) buffer of {@code shape}, or null where the activation passes dL/d(out) through. */
    protected INDArray preGradientBuffer(long... shape) {
        return activation.needsBuffer() ? buffers.get("dPre", shape) : null;
    }

    /** dL/d(pre) of rows {@code [from, to)} into {@code dPre}'s rows (or {@code dOut}'s own rows for identity). */
    protected INDArray preGradient(INDArray dOut, INDArray dPre, long from, long to) {
        return activation.backward(sig == null ? null : Buffers.rows(sig, from, to), Buffers.rows(out, from, to),
                Buffers.rows(dOut, from, to), dPre == null ? null : Buffers.rows(dPre, from, to));
    }

    /** f(pre) of rows {@code [from, to)}. */
    protected void activate(long from, long to) {
        activation.forward(Buffers.rows(pre, from, to), Buffers.rows(out, from, to),
                sig == null ? null : Buffers.rows(sig, from, to));
    }
}
