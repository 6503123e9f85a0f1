package chorus.models.nn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        INDArray a = arrays.get(name);
        if (a == null || !Arrays.equals(a.shape(), shape)) {
            a = Nd4j.createUninitialized(type, shape, 'c');
            arrays.put(name, a);
        }
        return a;
    }

    /** Forgets every array (their memory is freed when the collector finds them). */
    void clear() {
        arrays.clear();
    }
}
