package chorus.models.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** The checks a {@link Network} applies to what it is given: shape, then type and layout it can use as is. */
final class NetworkArrays {

    private NetworkArrays() {
    }

    /** Checks a 2-D array has {@code width} columns; returns it contiguous, in {@code type}. */
    static INDArray rows(INDArray x, int width, DataType type, String op, String what) {
        Objects.requireNonNull(x, () -> op + ": " + what);
        if (x.rank() != 2 || x.size(1) != width || x.size(0) < 1) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Arrays.toString(x.shape())
                    + ", expected [batch, " + width + "] (found " + (x.rank() == 2 ? x.size(1) + " columns"
                    : "rank " + x.rank()) + ")");
        }
        INDArray typed = x.dataType() == type ? x : x.castTo(type);
        boolean contiguous = typed.ordering() == 'c' && !typed.isView() && Shape.hasDefaultStridesForShape(typed);
        return contiguous ? typed : typed.dup('c');
    }

    /** Checks a flat {@code [1, length]} or {@code [length]} array; returns it in 'c' order, in {@code type}. */
    static INDArray flat(INDArray x, long length, DataType type, String op, String what) {
        Objects.requireNonNull(x, () -> op + ": " + what);
        boolean flat = x.rank() == 1 || (x.rank() == 2 && x.size(0) == 1);
        if (!flat || x.length() != length) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Arrays.toString(x.shape())
                    + ", expected [1, " + length + "] or [" + length + "]");
        }
        INDArray typed = x.dataType() == type ? x : x.castTo(type);
        return typed.ordering() == 'c' ? typed : typed.dup('c');
    }
}
