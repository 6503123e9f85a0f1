package chorus.models.objective;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.factory.Nd4j;

/** Gathering rows of a matrix by index and adding rows back (the fusion of terms into one request). */
public final class Rows {

    private Rows() {
    }

    /** {@code source[rows[i], :]} for every i: {@code [rows.length, cols]}, a new array. */
    public static INDArray gather(INDArray source, int[] rows) {
        if (rows.length == 0) {
            return Nd4j.create(source.dataType(), 0, source.size(1));
        }
        return Nd4j.pullRows(source, 1, rows); // [R, cols]
    }

    /** Entries {@code source[rows[i]]} of a vector {@code [N]}: {@code [R]}. */
    public static INDArray gatherVector(INDArray source, int[] rows) {
        return gather(source.reshape(source.length(), 1), rows).reshape(rows.length);
    }

    /** Adds {@code updates[i, :]} to {@code target[rows[i], :]} in place (repeated indices accumulate). */
    public static void scatterAdd(INDArray target, int[] rows, INDArray updates) {
        if (rows.length == 0) {
            return;
        }
        if (updates.size(0) != rows.length || updates.size(1) != target.size(1)) {
            throw new IllegalArgumentException("scatter-add: updates " + java.util.Arrays.toString(updates.shape())
                    + ", expected [" + rows.length + ", " + target.size(1) + "]");
        }
        INDArray idx = Nd4j.createFromArray(rows);
        ScatterAdd op = new ScatterAdd(target, idx, updates.castTo(target.dataType()));
        op.addOutputArgument(target); // in place: libnd4j's scatter_add accumulates repeated indices
        Nd4j.exec(op);
    }

    /** The indices i where {@code mask[i] > 0.5}, in order. */
    public static int[] where(INDArray mask) {
        double[] v = doubles(mask);
        int n = 0;
        for (double x : v) {
            n += x > 0.5 ? 1 : 0;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < v.length; i++) {
            if (v[i] > 0.5) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** The values of any array (views included) in row-major order, as doubles. */
    public static double[] doubles(INDArray array) {
        return array.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
    }
}
