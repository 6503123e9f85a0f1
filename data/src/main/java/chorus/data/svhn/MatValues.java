package chorus.data.svhn;

import static chorus.data.svhn.MatV5.MI_DOUBLE;
import static chorus.data.svhn.MatV5.MI_INT16;
import static chorus.data.svhn.MatV5.MI_INT32;
import static chorus.data.svhn.MatV5.MI_INT64;
import static chorus.data.svhn.MatV5.MI_INT8;
import static chorus.data.svhn.MatV5.MI_SINGLE;
import static chorus.data.svhn.MatV5.MI_UINT16;
import static chorus.data.svhn.MatV5.MI_UINT32;
import static chorus.data.svhn.MatV5.MI_UINT64;
import static chorus.data.svhn.MatV5.MI_UINT8;
import static chorus.data.svhn.MatV5.readFully;
import static chorus.data.svhn.MatV5.typeName;
import static chorus.data.svhn.MatV5.width;

import chorus.data.DataException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.ZipException;

/** The real part of a variable as stored: its element type and a stream of exactly its bytes. */
public final class MatValues {
    private final String where;
    private final int type;
    private final long count;
    private final DataInputStream in;
    private final ByteOrder order;

    MatValues(String where, int type, long count, DataInputStream in, ByteOrder order) {
        this.where = where;
        this.type = type;
        this.count = count;
        this.in = in;
        this.order = order;
    }

    /** The stored element type (e.g. {@link MatV5#MI_UINT8}). */
    public int type() {
        return type;
    }

    /** The next {@code n} values as unsigned bytes into {@code into}; the storage must be miUINT8. */
    public void readBytes(byte[] into, int n) throws IOException {
        if (type != MI_UINT8) {
            throw new DataException(where + ": stored as " + typeName(type) + ", expected miUINT8");
        }
        try {
            readFully(in, into, n, where);
        } catch (ZipException | EOFException e) {
            throw new DataException(where + ": cannot read its values, the file is truncated or corrupt (" + e.getMessage() + ")", e);
        }
    }

    /** Every value, converted to double (any integer or float storage). */
    public double[] readAll() throws IOException {
        if (count > Integer.MAX_VALUE / 8) {
            throw new DataException(where + ": " + count + " values, too many to read as doubles");
        }
        int width = width(type, where);
        byte[] raw = new byte[(int) count * width];
        try {
            readFully(in, raw, raw.length, where);
        } catch (ZipException | EOFException e) {
            throw new DataException(where + ": cannot read its values, the file is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        double[] out = new double[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case MI_INT8 -> b.get();
                case MI_UINT8 -> b.get() & 0xFF;
                case MI_INT16 -> b.getShort();
                case MI_UINT16 -> b.getShort() & 0xFFFF;
                case MI_INT32 -> b.getInt();
                case MI_UINT32 -> b.getInt() & 0xFFFFFFFFL;
                case MI_SINGLE -> b.getFloat();
                case MI_DOUBLE -> b.getDouble();
                case MI_INT64, MI_UINT64 -> b.getLong();
                default -> throw new DataException(where + ": stored as " + typeName(type) + ", expected a number type");
            };
        }
        return out;
    }
}
