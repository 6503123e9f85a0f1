package chorus.data;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Images held as UINT8 {@code [N, size]} off the Java heap (a quarter of the memory of floats: CelebA's
 * 162,770 training images at 64x64x3 are 2 GB as bytes, 8 GB as floats), turned into floats in [0, 1]
 * ({@code byte / 255f}) only for the rows a batch reads.
 *
 * <p>Rows are addressed through the array's direct buffer, so one split can hold at most
 * {@link Integer#MAX_VALUE} bytes; {@link #allocate} says so naming the rows and row size.
 */
public final class ByteImages {

    private ByteImages() {
    }

    /** A zeroed UINT8 array {@code [rows, size]}; fails when it would exceed {@link Integer#MAX_VALUE} bytes. */
    public static INDArray allocate(int rows, int size, String where) {
        long bytes = (long) rows * size;
        if (bytes > Integer.MAX_VALUE) {
            throw new DataException(where + ": " + rows + " rows of " + size + " bytes are " + bytes
                    + " bytes, more than one array holds (" + Integer.MAX_VALUE + "); use fewer rows or smaller images");
        }
        return Nd4j.create(DataType.UINT8, rows, size); // [N, size]
    }

    /** The bytes of {@code images} (UINT8, C order), row after row; writes go into the array. */
    public static ByteBuffer buffer(INDArray images) {
        if (images.dataType() != DataType.UINT8 || images.rank() != 2) {
            throw new IllegalArgumentException("expected a UINT8 [N, size] array, found " + images.dataType() + " "
                    + java.util.Arrays.toString(images.shape()));
        }
        ByteBuffer b = images.data().asNio();
        b.position(0);
        return b;
    }

    /** Rows {@code rows} of the UINT8 {@code images} as floats {@code [B, size]}, each byte divided by 255. */
    public static INDArray unitRows(INDArray images, int[] rows) {
        ByteBuffer b = buffer(images);
        int size = (int) images.size(1);
        if ((long) rows.length * size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows.length + " rows of " + size + " values do not fit one float array;"
                    + " read them in batches (Dataset.batch)");
        }
        float[] out = new float[rows.length * size];
        for (int i = 0; i < rows.length; i++) {
            int from = rows[i] * size;
            for (int j = 0; j < size; j++) {
                out[i * size + j] = (b.get(from + j) & 0xFF) / 255f;
            }
        }
        return Nd4j.create(out, new long[] {rows.length, size}, DataType.FLOAT); // [B, size]
    }

    /**
     * Every row of {@code images} as floats {@code [N, size]}: 4x the memory, for small splits and whole-split
     * tools; written straight into the off-heap array, so the heap never holds them.
     */
    public static INDArray unitFloats(INDArray images) {
        ByteBuffer b = buffer(images);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, images.shape(), 'c'); // [N, size]
        java.nio.FloatBuffer f = out.data().asNioFloat();
        for (int i = 0; i < out.length(); i++) {
            f.put(i, (b.get(i) & 0xFF) / 255f);
        }
        return out;
    }
}
