package chorus.actors.wire;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J arrays on the wire: a presence byte (0 = null), the data type (a code from {@link #CODES}, fixed
 * here so that it does not depend on ND4J's enum order), the rank, each dimension, then the values in C
 * order, little-endian, bit for bit. Views, F-order and offset arrays are written as their C-order
 * copy; an array read back is always a fresh C-order array the receiver owns.
 */
final class ArrayCodec {

    /** Wire code of each data type, by position: code i is {@code CODES[i]} (0 is unused). */
    private static final DataType[] CODES = {null, DataType.DOUBLE, DataType.FLOAT, DataType.HALF, DataType.BFLOAT16,
        DataType.LONG, DataType.INT, DataType.SHORT, DataType.BYTE, DataType.UBYTE, DataType.BOOL, DataType.UINT16,
        DataType.UINT32, DataType.UINT64};

    private static final int MAX_RANK = 32;

    private ArrayCodec() {
    }

    /** Writes {@code array}, which may be null. */
    static void write(DataOutput out, INDArray array) throws IOException {
        if (array == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1);
        out.writeByte(code(array.dataType()));
        long[] shape = array.shape();
        out.writeByte(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        if (array.isEmpty()) {
            return;
        }
        out.write(littleEndianBytes(array));
    }

    /** Reads an array written by {@link #write}: null, or a new C-order array. */
    static INDArray read(DataInput in) throws IOException {
        int present = in.readUnsignedByte();
        if (present == 0) {
            return null;
        }
        if (present != 1) {
            throw new NotSerializableException("array: presence byte " + present + ", expected 0 or 1");
        }
        DataType dtype = type(in.readUnsignedByte());
        int rank = in.readUnsignedByte();
        if (rank > MAX_RANK) {
            throw new NotSerializableException("array: rank " + rank + ", expected at most " + MAX_RANK);
        }
        long[] shape = new long[rank];
        long length = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
            if (shape[i] < 0) {
                throw new NotSerializableException("array: shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            length = Math.multiplyExact(length, shape[i]);
        }
        if (length == 0) {
            return Nd4j.create(dtype, shape);
        }
        byte[] bytes = new byte[Math.toIntExact(Math.multiplyExact(length, (long) dtype.width()))];
        in.readFully(bytes);
        INDArray out = Nd4j.createUninitialized(dtype, shape, 'c');
        copy(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), native_(out), dtype.width());
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.HOST); // the values were written on the host
        return out;
    }

    /** The values of {@code array} in C order, little-endian. */
    private static byte[] littleEndianBytes(INDArray array) throws NotSerializableException {
        INDArray c = isPlainC(array) ? array : array.dup('c');
        long bytes = c.length() * c.dataType().width();
        if (bytes > Integer.MAX_VALUE) {
            throw new NotSerializableException("array of " + Arrays.toString(c.shape()) + " " + c.dataType() + " is "
                    + bytes + " bytes, more than one message can hold (2 GiB)");
        }
        Nd4j.getAffinityManager().ensureLocation(c, AffinityManager.Location.HOST);
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        copy(native_(c), out, c.dataType().width());
        return out.array();
    }

    /** Whether the array's buffer holds exactly its values in C order from the first element. */
    private static boolean isPlainC(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && a.offset() == 0 && Shape.hasDefaultStridesForShape(a)
                && a.data().length() == a.length();
    }

    /** The array's buffer, in this machine's byte order, positioned at its first value. */
    private static ByteBuffer native_(INDArray plain) {
        ByteBuffer b = plain.data().asNio().order(ByteOrder.nativeOrder());
        b.position(0).limit((int) (plain.length() * plain.dataType().width()));
        return b;
    }

    /** Copies whole values of {@code width} bytes, converting between the two buffers' byte orders. */
    private static void copy(ByteBuffer from, ByteBuffer to, int width) {
        switch (width) {
            case 1 -> to.put(from);
            case 2 -> to.asShortBuffer().put(from.asShortBuffer());
            case 4 -> to.asIntBuffer().put(from.asIntBuffer());
            case 8 -> to.asLongBuffer().put(from.asLongBuffer());
            default -> throw new IllegalStateException("values of " + width + " bytes");
        }
    }

    private static int code(DataType dtype) throws NotSerializableException {
        for (int i = 1; i < CODES.length; i++) {
            if (CODES[i] == dtype) {
                return i;
            }
        }
        throw new NotSerializableException("array of data type " + dtype + ": not sent between nodes (numeric types only: "
                + Arrays.toString(Arrays.copyOfRange(CODES, 1, CODES.length)) + ")");
    }

    private static DataType type(int code) throws NotSerializableException {
        if (code < 1 || code >= CODES.length) {
            throw new NotSerializableException("array: data type code " + code + ", expected 1 to " + (CODES.length - 1));
        }
        return CODES[code];
    }
}
