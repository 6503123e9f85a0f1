package chorus.models.nn;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter-gradient arrays {@code [1, P]} a network handed out and their owners gave back once done with them
 * (applied, nobody else holding them), refilled by the next backward instead of allocated: fashion-mvae's image
 * networks allocated, and faulted in, 13 MB of fresh pages per step for their gradient. Shared by a network and
 * its copies (a worker's replicas for steps in flight); a few are kept, the rest released.
 */
final class SpareGradients {

    /** Arrays kept: one per step in flight, in practice. */
    private static final int KEPT = 4;

    private final Deque<INDArray> spare = new ConcurrentLinkedDeque<>();

    /** {@code view} (the gradient view, {@code [1, P]} or {@code [P]}) copied into a spare array or a new one. */
    INDArray copyOf(INDArray view, long numParams) {
        INDArray out = spare.poll();
        if (out == null) {
            out = Nd4j.createUninitialized(view.dataType(), new long[] {1, numParams}, 'c'); // [1, P]
        }
        return out.assign(view.reshape(1, numParams));
    }

    /** Keeps {@code grad} for a later {@link #copyOf} if it is a whole {@code [1, numParams]} array of {@code type}, else releases it. */
    void recycle(INDArray grad, DataType type, long numParams) {
        boolean fits = grad.dataType() == type && grad.rank() == 2 && grad.size(0) == 1 && grad.size(1) == numParams
                && grad.ordering() == 'c' && grad.elementWiseStride() == 1 && !grad.isView();
        if (fits && spare.size() < KEPT) {
            spare.push(grad);
        } else if (grad.closeable()) {
            grad.close();
        }
    }
}
