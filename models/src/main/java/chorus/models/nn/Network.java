package chorus.models.nn;

import chorus.models.nn.kernel.FlatAdam;
import chorus.models.nn.kernel.IntraOp;
import chorus.models.nn.kernel.LayerProfile;
import java.util.Objects;
import java.util.function.Function;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
 * Chorus's own kernels ({@link chorus.models.nn.kernel.KernelStack}, {@link FlatAdam}) where every layer has
 * one; the last layer has identity activation, never a DL4J OutputLayer; likelihoods live in
 * {@code chorus.models.likelihood}.
 */
public final class Network {

    private final MultiLayerNetwork net;
    private final Function<MultiLayerNetwork, Passes> passesOf; // how passes are built over net (copies rebuild theirs)
    private final Passes passes; // Chorus's kernels over net's parameters, DL4J's own layers, or a recurrent net's
    private final int inputSize;
    private final int outputSize;
    private final int targetWidth; // trailing input columns that are the data a decoder reconstructs (teacher forcing)
    private final boolean trainable; // false: an inference copy, without optimiser state
    private final SpareGradients spareGradients; // recycled gradient arrays, shared with copies
    private IntraOp intraOp = IntraOp.SINGLE; // threads each kernel's rows are split over
    private long pendingRows = -1; // rows of the forward pass awaiting backward; -1: none

    /** Wraps an initialised network that maps {@code [B, inputSize]} to {@code [B, outputSize]}. */
    Network(MultiLayerNetwork net, int inputSize, int outputSize) {
        this(net, inputSize, outputSize, true);
    }

    /** As above; {@code ownKernels = false} keeps DL4J's layers (the oracle the kernels are tested against). */
    Network(MultiLayerNetwork net, int inputSize, int outputSize, boolean ownKernels) {
        this(net, inputSize, outputSize, ownKernels ? Network::layerPasses : Dl4jPasses::new, 0);
    }

    /**
     * A network whose passes {@code passesOf} builds over {@code net}'s parameter, gradient and updater arrays
     * (the recurrent networks: {@code net} is then only their container, {@code sequence.ParamBlocks}); the last
     * {@code targetWidth} input columns are the data the decoder is scored against (0: none).
     */
    public Network(MultiLayerNetwork net, int inputSize, int outputSize, Function<MultiLayerNetwork, Passes> passesOf,
            int targetWidth) {
        this(net, inputSize, outputSize, passesOf, targetWidth, true, new SpareGradients());
    }

    private Network(MultiLayerNetwork net, int inputSize, int outputSize, Function<MultiLayerNetwork, Passes> passesOf,
                    int targetWidth, boolean trainable, SpareGradients spareGradients) {
        this.net = Objects.requireNonNull(net, "network");
        this.trainable = trainable;
        this.spareGradients = spareGradients;
        this.passesOf = Objects.requireNonNull(passesOf, "passes");
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        if (targetWidth < 0 || targetWidth >= inputSize) {
            throw new IllegalArgumentException("network target width " + targetWidth + ", expected 0 to " + (inputSize - 1));
        }
        this.targetWidth = targetWidth;
        if (net.getOutputLayer() instanceof IOutputLayer) {
            throw new IllegalArgumentException("network ends in " + net.getOutputLayer().getClass().getSimpleName()
                    + ", expected a layer that takes external errors (DenseLayer/ActivationLayer with identity)");
        }
        if (net.getGradientsViewArray() == null) {
            net.initGradientsView(); // before the updater, whose blocks keep views into this array
        }
        if (trainable) {
            net.getUpdater(); // creates Adam's state (zeros) now, so updaterState() exists before the first step
        }
        this.passes = passesOf.apply(net);
        long found = passes.output(zeros(1, inputSize), IntraOp.SINGLE).size(1);
        if (found != outputSize) {
            throw new IllegalArgumentException("network declared with " + outputSize + " outputs produces " + found);
        }
    }

    /** Builds and initialises (weights from the configuration's seed) a network from its configuration. */
    public static Network build(MultiLayerConfiguration conf, int inputSize, int outputSize) {
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
        INDArray out = passes.forward(in, intraOp).dup('c'); // [B, out]
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
        requireTrainable("backward");
        INDArray dInput = passes.backward(checkPending(dOut), intraOp, true).dup('c'); // [B, in]
        pendingRows = -1;
        return new Gradients(gradient(), dInput.reshape(dInput.size(0), inputSize));
    }

    /**
     * Like {@link #backward} when nothing needs dL/dx (an encoder's input is data): the first layer
     * skips its input gradient where its kernel can (a dense layer's {@code dPre W^T}).
     *
     * @return dL/dθ {@code [1, numParams]}, a detached copy
     */
    public INDArray backwardParams(INDArray dOut) {
        requireTrainable("backwardParams");
        passes.backward(checkPending(dOut), intraOp, false);
        pendingRows = -1;
        return gradient();
    }

    /** Drops the activations of a {@link #forward} that will not be backpropagated (evaluation). */
    public void discardForward() {
        pendingRows = -1;
        passes.discard();
    }

    /**
     * Inference forward pass that keeps no state.
     *
     * @param x {@code [batch, inputSize]}
     * @return {@code [batch, outputSize]}, a detached copy
     */
    public INDArray output(INDArray x) {
        requireIdle("output");
        return passes.output(checkRows(x, inputSize, "output", "input"), intraOp).dup('c'); // [B, out]
    }

    /**
     * One optimiser step (Adam, as configured) from a flat gradient whose loss is already a batch mean.
     *
     * @param flatGrad  dL/dθ, {@code [1, numParams]} or {@code [numParams]}, in {@link #params()} order
     * @param iteration updates applied so far (Adam's bias correction and any schedule read it)
     * @param epoch     the current epoch (for schedules)
     */
    public void applyGradient(INDArray flatGrad, int iteration, int epoch) {
        applyGradient(flatGrad, iteration, epoch, null, null);
    }

    /**
     * {@link #applyGradient(INDArray, int, int)} that also leaves the parameters and optimiser state as they
     * were before the step in {@code keepParams} and {@code keepState} (shaped as {@link #params()} and
     * {@link #updaterState()}; both null: nothing kept), so a caller can put them back if the step must be
     * undone. Chorus's Adam writes them in its own pass over the arrays; DL4J's updater gets a copy first.
     */
    public void applyGradient(INDArray flatGrad, int iteration, int epoch, INDArray keepParams, INDArray keepState) {
        requireTrainable("applyGradient");
        requireIdle("applyGradient");
        INDArray grad = checkFlat(flatGrad, numParams(), "applyGradient", "gradient");
        FlatAdam adam = passes.adam();
        if (adam != null) {
            adam.apply(grad, iteration, intraOp, keepParams, keepState);
            return;
        }
        if (keepParams != null) {
            copyStateInto(keepParams, keepState);
        }
        Dl4jPasses.step(net, grad, iteration, epoch);
    }

    /** A copy of the flat parameters, {@code [1, numParams]}. */
    public INDArray params() {
        return net.params().dup('c').reshape(1, numParams());
    }

    /**
     * Copies the parameters into {@code params [1, numParams]} and the optimiser state into {@code state}
     * ({@link #updaterState()}'s shape), arrays the caller keeps and reuses: unlike {@link #params()} nothing
     * is allocated (an undo copy per update cost fresh pages every step).
     */
    private void copyStateInto(INDArray params, INDArray state) {
        params.assign(net.params().reshape(params.shape()));
        INDArray view = net.getUpdater().getStateViewArray();
        state.assign(view.reshape(state.shape()));
    }

    /** Replaces every parameter (e.g. from a checkpoint); {@code [1, numParams]} or {@code [numParams]}. */
    public void setParams(INDArray params) {
        requireIdle("setParams");
        INDArray view = net.params(); // [1, nParams]
        view.assign(checkFlat(params, numParams(), "setParams", "parameters").reshape(view.shape()));
    }

    /** A copy of the optimiser state (Adam: first and second moments), flat {@code [1, size]}. */
    public INDArray updaterState() {
        requireTrainable("updaterState");
        INDArray state = net.getUpdater().getStateViewArray();
        return state.dup('c').reshape(1, state.length());
    }

    /** Replaces the optimiser state with one taken from {@link #updaterState()} of an identical network. */
    public void setUpdaterState(INDArray state) {
        requireTrainable("setUpdaterState");
        requireIdle("setUpdaterState");
        INDArray view = net.getUpdater().getStateViewArray();
        view.assign(checkFlat(state, view.length(), "setUpdaterState", "updater state").reshape(view.shape()));
    }

    /** A deep copy with the same configuration, parameters and optimiser state; no batch in flight. */
    public Network copy() {
        Network copy = new Network(twin(), inputSize, outputSize, passesOf, targetWidth, true, spareGradients);
        copy.intraOp = intraOp;
        copy.setUpdaterState(updaterState());
        return copy;
    }

    /**
     * A copy for inference ({@link #output}, {@link #forward} then {@link #discardForward}, the parameter calls)
     * without optimiser state: Adam's moments are twice the parameters, memory an evaluator's copy never reads.
     * Backward passes and optimiser calls on it throw.
     */
    public Network inferenceCopy() {
        Network copy = new Network(twin(), inputSize, outputSize, passesOf, targetWidth, false, new SpareGradients());
        copy.intraOp = intraOp;
        return copy;
    }

    private MultiLayerNetwork twin() {
        MultiLayerNetwork twin = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
        twin.init(net.params().dup('c'), false); // the twin keeps this array as its parameter view
        return twin;
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
     * ({@link chorus.models.nn.cost.NetworkFlops#label}), from the next call on; null stops it. A network on
     * DL4J's layers records nothing.
     */
    public void profile(String name, LayerProfile into) {
        passes.profile(name, into);
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

    /**
     * How many trailing input columns are the data this decoder reconstructs, fed back during scoring (teacher
     * forcing: the recurrent sequence decoder reads {@code [z | x]}); 0 for every other network, which reads z
     * alone. {@link chorus.models.objective.DecoderInput} assembles such inputs and decodes greedily without x.
     */
    public int targetWidth() {
        return targetWidth;
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
    public MultiLayerNetwork dl4j() {
        return net;
    }

    @Override
    public String toString() {
        return "Network[" + inputSize + " -> " + outputSize + ", " + numParams() + " params, "
                + dataType().name().toLowerCase() + ", " + net.getnLayers() + " layers]";
    }

    /** Chorus's kernels over {@code net}'s layers, or DL4J's layers where a layer has no kernel. */
    private static Passes layerPasses(MultiLayerNetwork net) {
        Passes own = KernelPasses.of(net);
        return own != null ? own : new Dl4jPasses(net);
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

    private void requireTrainable(String op) {
        if (!trainable) {
            throw new IllegalStateException(op + " on an inference copy of a network (no optimiser state): train a copy()");
        }
    }

    private void requireIdle(String op) {
        if (pendingRows >= 0) {
            throw new IllegalStateException(op + " while a forward pass awaits backward: it would overwrite or"
                    + " invalidate the kept activations; call backward first or use a copy()");
        }
    }

    /**
     * Takes back a parameter gradient {@code [1, numParams]} this network or a copy of it handed out, once its
     * owner is done with it (applied, nobody else holds it): the next backward fills it instead of allocating
     * ({@link SpareGradients}). The caller must not read it afterwards. An array of another shape or type, or one
     * beyond the few kept, is released instead.
     */
    public void recycleGradient(INDArray grad) {
        spareGradients.recycle(grad, dataType(), numParams());
    }

    /** A copy of the gradient view the last backward filled, {@code [1, numParams]}: its own array, not a view. */
    private INDArray gradient() {
        return spareGradients.copyOf(net.getGradientsViewArray(), numParams());
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
