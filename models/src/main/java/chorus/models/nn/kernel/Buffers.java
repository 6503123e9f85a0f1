package chorus.models.nn.kernel;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A kernel's named work arrays, allocated on first use and reused while the shape stays the same
 * (a worker sees the same batch size step after step), so the hot path allocates nothing.
 */
final class Buffers {

    private final DataType type;
    private final Map<String, INDArray> arrays = new HashMap<>();

    Buffers(DataType type) {
        this.type = type;
    }

    /** The array named {@code name} with this shape, 'c' order; its contents are whatever was last written. */
    INDArray get(String name, long... shape) {
        return get(name, 'c', shape);
    }

    /** As {@link #get(String, long...)} in the given order. */
    INDArray get(String name, char order, long... shape) {
        INDArray a = arrays.get(name);
        if (a == null || a.ordering() != order || !Arrays.equals(a.shape(), shape)) {
            a = Nd4j.createUninitialized(type, shape, order);
            arrays.put(name, a);
        }
        return a;
    }

    /**
     * Where each of {@code chunks} chunks writes its part of a parameter gradient: chunk 0 into
     * {@code target} itself, the others into arrays of its shape and order, to be added after.
     * Call on the owning thread (this class is not thread-safe), before the chunks run.
     */
    INDArray[] partials(String name, int chunks, INDArray target) {
        INDArray[] parts = new INDArray[chunks];
        parts[0] = target;
        for (int c = 1; c < chunks; c++) {
            parts[c] = get(name + "#" + c, target.ordering(), target.shape());
        }
        return parts;
    }

    /** Adds chunks 1.. of {@code parts} into chunk 0 (the target), in chunk order. */
    static void sum(INDArray[] parts) {
        for (int c = 1; c < parts.length; c++) {
            parts[0].addi(parts[c]);
        }
    }

    /** Rows {@code [from, to)} of {@code a} (dimension 0) as a view; {@code a} itself when that is all of it. */
    static INDArray rows(INDArray a, long from, long to) {
        if (from == 0 && to == a.size(0)) {
            return a;
        }
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(from, to);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return a.get(index);
    }

    /** Forgets every array (their memory is freed when the collector finds them). */
    void clear() {
        arrays.clear();
    }
}
