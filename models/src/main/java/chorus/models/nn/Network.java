package chorus.models.nn;

import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A feed-forward network trained with external errors: its loss is computed elsewhere (by the
 * combiner, possibly in another actor), so a step is {@link #forward}, then {@link #backward} with
 * dL/d(output), then {@link #applyGradient} with the (possibly summed) parameter gradient.
 *
 * <p>Inputs and outputs are 2-D {@code [batch, features]}. Every array returned is a detached copy
 * the caller owns; arrays passed in are never modified. The network holds one batch in flight:
 * between {@code forward} and {@code backward} only reading calls ({@link #copy}, {@link #params},
 * {@link #updaterState}, sizes) are allowed: the layers keep a single set of activations. Not
 * thread-safe: one owner at a time, though calls may come from different threads.
 *
 * <p>Built as a DL4J network (initialisation, the flat parameter layout, checkpoints), trained by
 * Chorus's own kernels ({@link KernelStack}, {@link FlatAdam}) where every layer has one; the last
 * layer has identity activation, never a DL4J OutputLayer; likelihoods live in
 * {@code chorus.models.likelihood}.
 */
public final class Network {

    private final MultiLayerNetwork net;
    private final KernelStack kernels; // Chorus's own forward/backward over net's parameters; null: DL4J's layers
    private final FlatAdam adam;       // with the kernels: the optimiser step over chunks; null: DL4J's updater
    private final int inputSize;
    private final int outputSize;
    private IntraOp intraOp = IntraOp.SINGLE; // threads each kernel's rows are split over
    private long pendingRows = -1; // rows of the forward pass awaiting backward; -1: none

    /** Wraps an initialised network that maps {@code [B, inputSize]} to {@code [B, outputSize]}. */
    Network(MultiLayerNetwork net, int inputSize, int outputSize) {
        this(net, inputSize, outputSize, true);
    }

    /** As above; {@code ownKernels = false} keeps DL4J's layers (the oracle the kernels are tested against). */
    Network(MultiLayerNetwork net, int inputSize, int outputSize, boolean ownKernels) {
        this.net = Objects.requireNonNull(net, "network");
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        if (net.getOutputLayer() instanceof IOutputLayer) {
            throw new IllegalArgumentException("network ends in " + net.getOutputLayer().getClass().getSimpleName()
                    + ", expected a layer that takes external errors (DenseLayer/ActivationLayer with identity)");
        }
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView(); // before the updater, whose blocks keep views into this array
        }
        net.getUpdater(); // creates Adam's state (zeros) now, so updaterState() exists before the first step
        this.kernels = ownKernels ? KernelStack.of(net) : null;
        this.adam = kernels != null ? FlatAdam.of(net) : null;
        long found = net.output(zeros(1, inputSize), false).size(1);
        if (found != outputSize) {
            throw new IllegalArgumentException("network declared with " + outputSize + " outputs produces " + found);
        }
    }

    /** Builds and initialises (weights from the configuration's seed) a network from its configuration. */
    static Network build(MultiLayerConfiguration conf, int inputSize, int outputSize) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new Network(net, inputSize, outputSize);
    }

    /**
     * Training-mode forward pass. Keeps the activations that {@link #backward} needs; a second
     * forward before that backward replaces them.
     *
     * @param x {@code [batch, inputSize]}; cast to the network's data type if it differs
     * @return {@code [batch, outputSize]}, a detached copy safe to send
     */
    public INDArray forward(INDArray x) {
        INDArray in = checkRows(x, inputSize, "forward", "input"); // [B, in]
        pendingRows = -1;
        INDArray out;
        if (kernels != null) {
            out = kernels.forward(in, intraOp).dup('c'); // [B, out]
        } else {
            net.setInput(in);
            List<INDArray> activations = net.feedForward(true, false); // input, then one per layer
            out = activations.get(activations.size() - 1).dup('c'); // [B, out]
        }
        pendingRows = in.size(0);
        return out;
    }

    /**
     * Backpropagates an external error through the batch of the last {@link #forward}.
     *
     * @param dOut dL/d(output), {@code [batch, outputSize]} with the forward pass's batch size
     * @return dL/dθ {@code [1, numParams]} and dL/dx {@code [batch, inputSize]}, both detached copies
     */
    public Gradients backward(INDArray dOut) {
        INDArray eps = checkPending(dOut); // [B, out]
        if (kernels != null) {
            INDArray dInput = kernels.backward(eps, intraOp, true).dup('c'); // [B, in]; the kernels never write eps
            pendingRows = -1;
            INDArray dParams = net.getGradientsViewArray().dup('c'); // [1, nParams], filled by the kernels
            return new Gradients(row(dParams), dInput.reshape(dInput.size(0), inputSize));
        }
        eps = eps.dup('c'); // DL4J may reuse it
        Pair<Gradient, INDArray> g = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces());
        INDArray dParams = g.getFirst().gradient().dup('c'); // [1, nParams]; the view is rewritten next step
        INDArray dInput = g.getSecond().dup('c'); // [B, in]
        pendingRows = -1;
        net.clearLayersStates(); // the kept activations are spent; free them now rather than at GC
        return new Gradients(dParams.reshape(1, numParams()), dInput.reshape(dInput.size(0), inputSize));
    }

    /**
     * Like {@link #backward} when nothing needs dL/dx (an encoder's input is data): the first layer
     * skips its input gradient where its kernel can (a dense layer's {@code dPre W^T}).
     *
     * @return dL/dθ {@code [1, numParams]}, a detached copy
     */
    public INDArray backwardParams(INDArray dOut) {
        if (kernels == null) {
            return backward(dOut).params();
        }
        INDArray eps = checkPending(dOut);
        kernels.backward(eps, intraOp, false);
        pendingRows = -1;
        return row(net.getGradientsViewArray().dup('c')); // [1, nParams], filled by the kernels
    }

    /** Drops the activations of a {@link #forward} that will not be backpropagated (evaluation). */
    public void discardForward() {
        pendingRows = -1;
        net.clearLayersStates();
    }

    /**
     * Inference forward pass that keeps no state.
     *
     * @param x {@code [batch, inputSize]}
     * @return {@code [batch, outputSize]}, a detached copy
     */
    public INDArray output(INDArray x) {
        requireIdle("output");
        INDArray in = checkRows(x, inputSize, "output", "input"); // [B, in]
        if (kernels != null) {
            return kernels.forward(in, intraOp).dup('c'); // [B, out]; no layer has a train/test difference
        }
        INDArray out = net.output(in, false).dup('c'); // [B, out]
        net.clearLayersStates();
        return out;
    }

    /**
     * One optimiser step (Adam, as configured) from a flat gradient.
     *
     * <p>DL4J's updater divides the gradient by the minibatch size it is given; this passes 1
     * because the caller's loss is already a mean over its batch.
     *
     * @param flatGrad  dL/dθ, {@code [1, numParams]} or {@code [numParams]}, in {@link #params()} order
     * @param iteration updates applied so far (Adam's bias correction and any schedule read it)
     * @param epoch     the current epoch (for schedules)
     */
    public void applyGradient(INDArray flatGrad, int iteration, int epoch) {
        requireIdle("applyGradient");
        if (adam != null) {
            adam.apply(checkFlat(flatGrad, numParams(), "applyGradient", "gradient"), iteration, intraOp);
            return;
        }
        INDArray view = net.getGradientsViewArray(); // [1, nParams]: the buffer the updater blocks read
        view.assign(checkFlat(flatGrad, numParams(), "applyGradient", "gradient").reshape(view.shape()));
        // The Gradient wraps the network's own view, so DL4J takes its standard (non-external) path.
        net.getUpdater().update(net, new DefaultGradient(view), iteration, epoch, 1, LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params(); // [nParams]: rank 1 in M2.1, while the gradient view is [1, nParams]
        params.subi(view.reshape(params.shape())); // view now holds the Adam step lr * m / (sqrt(v) + eps)
    }

    /** A copy of the flat parameters, {@code [1, numParams]}. */
    public INDArray params() {
        return net.params().dup('c').reshape(1, numParams());
    }

    /** Replaces every parameter (e.g. from a checkpoint); {@code [1, numParams]} or {@code [numParams]}. */
    public void setParams(INDArray params) {
        requireIdle("setParams");
        INDArray view = net.params(); // [1, nParams]
        view.assign(checkFlat(params, numParams(), "setParams", "parameters").reshape(view.shape()));
    }

    /** A copy of the optimiser state (Adam: first and second moments), flat {@code [1, size]}. */
    public INDArray updaterState() {
        INDArray state = net.getUpdater().getStateViewArray();
        return state.dup('c').reshape(1, state.length());
    }

    /** Replaces the optimiser state with one taken from {@link #updaterState()} of an identical network. */
    public void setUpdaterState(INDArray state) {
        requireIdle("setUpdaterState");
        INDArray view = net.getUpdater().getStateViewArray();
        view.assign(checkFlat(state, view.length(), "setUpdaterState", "updater state").reshape(view.shape()));
    }

    /** A deep copy with the same configuration, parameters and optimiser state; no batch in flight. */
    public Network copy() {
        MultiLayerNetwork twin = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        twin.init(net.params().dup('c'), false); // the twin keeps this array as its parameter view
        Network copy = new Network(twin, inputSize, outputSize, kernels != null);
        copy.intraOp = intraOp;
        copy.setUpdaterState(updaterState());
        return copy;
    }

    /**
     * Splits each layer's rows over {@code par}'s threads from the next call on (Chorus's own
     * kernels only; a network on DL4J's layers ignores it). Copies share the pool.
     */
    public void intraOp(IntraOp par) {
        this.intraOp = Objects.requireNonNull(par, "intra-op threads");
    }

    /**
     * Records each layer's forward and backward time into {@code into} under {@code name/index Type}
     * ({@link NetworkFlops#label}), from the next call on; null stops it. A network on DL4J's layers
     * records nothing.
     */
    public void profile(String name, LayerProfile into) {
        if (kernels != null) {
            kernels.profile(name, into);
        }
    }

    /** The threads each layer's rows are split over. */
    public IntraOp intraOp() {
        return intraOp;
    }

    /** Number of trainable parameters. */
    public long numParams() {
        return net.numParams();
    }

    /** Width of the 2-D input. */
    public int inputSize() {
        return inputSize;
    }

    /** Width of the 2-D output. */
    public int outputSize() {
        return outputSize;
    }

    /** The data type of parameters, activations and gradients. */
    public DataType dataType() {
        return net.params().dataType();
    }

    /** The DL4J configuration (layer list, preprocessors, updater), e.g. for logs and checkpoint metadata. */
    public String configurationJson() {
        return net.getLayerWiseConfigurations().toJson();
    }

    /** The wrapped DL4J network, for tests in this package that inspect its 4-D activations. */
    MultiLayerNetwork dl4j() {
        return net;
    }

    @Override
    public String toString() {
        return "Network[" + inputSize + " -> " + outputSize + ", " + numParams() + " params, "
                + dataType().name().toLowerCase() + ", " + net.getnLayers() + " layers]";
    }

    /** dOut checked against the forward awaiting its backward; {@code [B, out]} contiguous. */
    private INDArray checkPending(INDArray dOut) {
        if (pendingRows < 0) {
            throw new IllegalStateException("backward without a forward pass awaiting it: call forward(x) first,"
                    + " one backward per forward");
        }
        INDArray eps = checkRows(dOut, outputSize, "backward", "output error"); // [B, out]
        if (eps.size(0) != pendingRows) {
            throw new IllegalArgumentException("backward: output error has " + eps.size(0)
                    + " rows, expected " + pendingRows + " (the batch of the last forward)");
        }
        return eps;
    }

    private void requireIdle(String op) {
        if (pendingRows >= 0) {
            throw new IllegalStateException(op + " while a forward pass awaits backward: it would overwrite or"
                    + " invalidate the kept activations; call backward first or use a copy()");
        }
    }

    /** Checks a 2-D array has {@code width} columns; returns it contiguous, in the network's type. */
    /**
     * {@code flat} as {@code [1, numParams]}: itself when it has that shape already, so an array this network
     * hands out stays its own (closeable, not a view) and its owner can release it at once.
     */
    private INDArray row(INDArray flat) {
        return flat.rank() == 2 && flat.size(0) == 1 ? flat : flat.reshape(1, numParams());
    }

    private INDArray checkRows(INDArray x, int width, String op, String what) {
        return NetworkArrays.rows(x, width, dataType(), op, what);
    }

    private INDArray checkFlat(INDArray x, long length, String op, String what) {
        return NetworkArrays.flat(x, length, dataType(), op, what);
    }

    private INDArray zeros(long rows, long cols) {
        return org.nd4j.linalg.factory.Nd4j.zeros(net.getLayerWiseConfigurations().getDataType(), rows, cols);
    }
}
