package chorus.tools.memory;

import chorus.data.StoredSplit;
import chorus.models.MultimodalVae;
import chorus.models.nn.Network;
import chorus.models.nn.cost.NetworkMemory;
import java.util.List;

/**
 * The bytes a run holds off the Java heap (ND4J's arrays, through javacpp), added up from what it will
 * hold rather than measured, so the launcher can cap the JVM before the run starts ({@link JvmCaps}).
 * Tensors live off-heap; the heap holds Java objects only and is sized apart.
 *
 * <p>With w the data type's width (4 for float), P_n the parameters of network n, r_n the rows it sees in a
 * step (an encoder: the batch B; a decoder: the rows of the one fused request the objective's plan sends it,
 * from {@link chorus.models.StepFlops}), T the intra-op threads, F the steps in flight
 * ({@code chorus.pipeline.in-flight}) and R_m the replicas of modality m ({@code chorus.workers.<m>.replicas}):
 * <pre>
 * data        = sum over splits: N x (sum_m size_m x stored width_m + 4 M)        (FLOAT rows, or UINT8 images)
 * parameters  = w sum_n P_n x ( 5 (params, gradient view, Adam m and v, the gradient a step sends)
 *                             + 3 (the undo copy an update holds while it runs: params, Adam m and v)
 *                             + (T - 1) (intra-op partial gradients, an upper bound)
 *                             + 3 (a snapshot's params and Adam state, at evaluation and checkpoint)
 *                             + 3 (the restore point: the last snapshot, which a coordinator that can replace a
 *                                  lost worker node keeps until the next; only then)
 *                             + 1 (the evaluator's inference copy of the model: params only; no Adam
 *                                  state, and its gradient view is never written, so never resident)
 *                             + 4 (F - 1) (a network copy per extra step in flight)
 *                             + (R_m - 1)(5 + 3 + T - 1) (every extra replica's own training state))
 * activations = w sum_n r_n x (F x training values per row + inference values per row)
 *               (each kernel's pre, out, sig, dPre and dIn; the evaluator's copy forwards the same rows, see
 *               {@link NetworkMemory})
 * native      = w sum_n r_n x the largest im2col columns per row of n (libnd4j's per-call temporaries)
 * batches     = w (prefetch + F) x B x sum_m size_m                                 (float batches in the loader)
 * total       = data + parameters + activations + native + batches
 * </pre>
 * The evaluation commands hold a restored model (params, gradient view, m and v, plus the checkpoint's params
 * and state: 7 P_n), inference buffers for the rows they forward at once, their splits, and two float copies of
 * every split's byte-stored images (evaluate's classifier reads whole splits as floats).
 *
 * @param data        bytes of the dataset splits as stored
 * @param parameters  bytes of every copy of the parameters and optimizer state
 * @param activations bytes of the kernels' activation and gradient buffers
 * @param nativeBytes bytes of libnd4j's largest per-call temporaries
 * @param batches     bytes of the batches waiting or in flight
 */
public record MemoryPlan(long data, long parameters, long activations, long nativeBytes, long batches) {

    /** Copies of P a trained network holds: params, gradient view, Adam m and v, the gradient a step sends. */
    public static final int TRAINING_COPIES = 5;
    /** Copies of P a worker holds while it applies an update, to undo a failed one: params, Adam m and v. */
    public static final int UPDATE_UNDO_COPIES = 3;
    /** Copies of P a snapshot gathers (params, Adam m and v). */
    public static final int SNAPSHOT_COPIES = 3;
    /** Copies of P a {@link Network#copy} holds (params, gradient view, Adam m and v). */
    public static final int NETWORK_COPIES = 4;
    /**
     * Resident copies of P in the evaluator's model copy ({@link chorus.models.MultimodalVae#inferenceCopy}): its
     * params (it has no Adam state, and nothing writes its gradient view).
     */
    public static final int EVALUATOR_COPIES = 1;
    /** Copies of P a checkpoint command holds: the checkpoint's params and state, and the restored network. */
    public static final int RESTORED_COPIES = SNAPSHOT_COPIES + NETWORK_COPIES;

    /**
     * What shapes a training run beyond its model: rows per network, the parallelism settings, and whether the last
     * snapshot is kept as a restore point (a coordinator with {@code chorus.cluster.rejoin-timeout} above zero).
     */
    public record Training(int batch, List<Integer> encoderRows, List<Integer> decoderRows, int inFlight, int prefetch,
                           List<Integer> replicas, int intraOpThreads, boolean restorePoint) {

        public Training {
            encoderRows = List.copyOf(encoderRows);
            decoderRows = List.copyOf(decoderRows);
            replicas = List.copyOf(replicas);
            if (batch < 1 || inFlight < 1 || prefetch < 0 || intraOpThreads < 1) {
                throw new IllegalArgumentException("batch " + batch + ", in-flight " + inFlight + ", prefetch " + prefetch
                        + ", intra-op threads " + intraOpThreads + ": expected batch, in-flight and threads >= 1, prefetch >= 0");
            }
        }
    }

    /** The plan of training {@code model} (and, for {@code chorus worker}, no splits) as {@code t} describes. */
    public static MemoryPlan training(List<StoredSplit> splits, MultimodalVae model, Training t) {
        int m = model.modalities().size();
        if (t.encoderRows().size() != m || t.decoderRows().size() != m || t.replicas().size() != m) {
            throw new IllegalArgumentException("rows and replicas for " + t.encoderRows().size() + "/" + t.decoderRows().size()
                    + "/" + t.replicas().size() + " modalities, expected " + m);
        }
        long parameters = 0;
        long activations = 0;
        long nativeBytes = 0;
        long inputs = 0;
        for (int j = 0; j < m; j++) {
            int perWorker = TRAINING_COPIES + UPDATE_UNDO_COPIES + t.intraOpThreads() - 1;
            int copies = perWorker + SNAPSHOT_COPIES + EVALUATOR_COPIES + NETWORK_COPIES * (t.inFlight() - 1)
                    + (t.replicas().get(j) - 1) * perWorker + (t.restorePoint() ? SNAPSHOT_COPIES : 0);
            for (int side = 0; side < 2; side++) {
                Network n = side == 0 ? model.encoders().get(j) : model.decoders().get(j);
                long rows = side == 0 ? t.encoderRows().get(j) : t.decoderRows().get(j);
                long w = n.dataType().width();
                NetworkMemory.PerRow per = NetworkMemory.perRow(n);
                parameters += w * n.numParams() * copies;
                activations += w * rows * (t.inFlight() * per.trainingPerRow() + per.inferencePerRow());
                nativeBytes += w * rows * per.nativePerRow();
            }
            inputs += model.encoders().get(j).inputSize();
        }
        long batches = 4L * (t.prefetch() + t.inFlight()) * t.batch() * inputs;
        return new MemoryPlan(dataBytes(splits), parameters, activations, nativeBytes, batches);
    }

    /**
     * The plan of a command that evaluates a restored {@code model} on {@code splits}, forwarding up to
     * {@code rows} rows through each network at once.
     */
    public static MemoryPlan evaluation(List<StoredSplit> splits, MultimodalVae model, long rows) {
        long parameters = 0;
        long activations = 0;
        long nativeBytes = 0;
        for (List<Network> side : List.of(model.encoders(), model.decoders())) {
            for (Network n : side) {
                long w = n.dataType().width();
                NetworkMemory.PerRow per = NetworkMemory.perRow(n);
                parameters += w * n.numParams() * RESTORED_COPIES;
                activations += w * rows * per.inferencePerRow();
                nativeBytes += w * rows * per.nativePerRow() / 2; // forward only: the columns, not their gradient
            }
        }
        return new MemoryPlan(dataBytes(splits) + floatCopies(splits), parameters, activations, nativeBytes, 0);
    }

    /**
     * Bytes of the float copies that whole-split readers (the classifiers of evaluate and of training's
     * eval-metrics) make of byte-stored images: twice each such modality at most.
     */
    public static long floatCopies(List<StoredSplit> splits) {
        long floatCopies = 0;
        for (StoredSplit split : splits) {
            for (int m = 0; m < split.modalities().size(); m++) {
                if (split.types().get(m).width() == 1) {
                    floatCopies += 2L * 4 * split.rows() * split.modalities().get(m).size();
                }
            }
        }
        return floatCopies;
    }

    /** The plan of a command that only reads {@code splits} (and may hold one float copy of each: {@code chorus data}). */
    public static MemoryPlan data(List<StoredSplit> splits) {
        return new MemoryPlan(2 * dataBytes(splits), 0, 0, 0, 0);
    }

    /** Bytes of a checkpoint of {@code model}: every network's parameters and Adam state ({@value #SNAPSHOT_COPIES} P). */
    public static long checkpointBytes(MultimodalVae model) {
        long bytes = 0;
        for (List<Network> side : List.of(model.encoders(), model.decoders())) {
            for (Network n : side) {
                bytes += (long) SNAPSHOT_COPIES * n.numParams() * n.dataType().width();
            }
        }
        return bytes;
    }

    /** Every term added up. */
    public long total() {
        return data + parameters + activations + nativeBytes + batches;
    }

    /** One line for the launcher's debug output, in MiB. */
    public String describe() {
        return String.format("plan %d MiB = data %d + parameters %d + activations %d + native %d + batches %d",
                mib(total()), mib(data), mib(parameters), mib(activations), mib(nativeBytes), mib(batches));
    }

    private static long dataBytes(List<StoredSplit> splits) {
        return splits.stream().mapToLong(StoredSplit::bytes).sum();
    }

    static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
