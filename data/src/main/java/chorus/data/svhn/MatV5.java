package chorus.data.svhn;

import chorus.data.DataException;
import chorus.data.fetch.BoundedInputStream;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * A streaming reader of MATLAB v5 .mat files (MathWorks, "MAT-File Format", level 5): a 128-byte header, then
 * data elements (an 8-byte tag of type and byte count, or the 4-byte small-element form), each top-level
 * variable an {@code miMATRIX} element or an {@code miCOMPRESSED} element whose zlib stream holds one. A
 * numeric matrix holds array flags (its class), dimensions, a name and its real part, whose stored type may be
 * narrower than the class (MATLAB stores a double array of small integers as miUINT8). Either byte order.
 *
 * <p>Variables are handed to a {@link Visitor} one at a time with their values still in the stream, so a
 * 225 MB image array is read straight into its destination. Every malformed input is a {@link DataException}
 * naming the file and the variable or element. MATLAB 7.3 files (HDF5) are recognised and refused.
 */
public final class MatV5 {

    /** Element types (MAT-File Format, table 1-1). */
    static final int MI_INT8 = 1, MI_UINT8 = 2, MI_INT16 = 3, MI_UINT16 = 4, MI_INT32 = 5, MI_UINT32 = 6,
            MI_SINGLE = 7, MI_DOUBLE = 9, MI_INT64 = 12, MI_UINT64 = 13, MI_MATRIX = 14, MI_COMPRESSED = 15;
    /** Array classes (table 1-3) used here. */
    static final int MX_DOUBLE = 6, MX_SINGLE = 7, MX_INT8 = 8, MX_UINT8 = 9, MX_INT16 = 10, MX_UINT16 = 11,
            MX_INT32 = 12, MX_UINT32 = 13;
    private static final int COMPLEX = 0x0800;

    /** One numeric variable, its values not read yet: the visitor reads them with {@link MatValues} or leaves them. */
    public record Variable(String name, int mxClass, int[] dims, MatValues values) {
        /** Number of elements: the product of the dimensions. */
        public long count() {
            return Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b);
        }

        /** MATLAB's name of the class ({@code uint8}, {@code double}, ...). */
        public String className() {
            return MatV5.className(mxClass);
        }

        /** The dimensions as MATLAB prints them, e.g. {@code 32x32x3x5}. */
        public String shape() {
            return String.join("x", Arrays.stream(dims).mapToObj(String::valueOf).toList());
        }
    }

    /** Receives each numeric variable in file order. */
    public interface Visitor {
        void variable(Variable v) throws IOException;
    }

    private MatV5() {
    }

    /** Reads {@code file}, handing each numeric variable to {@code visitor}; other variables are skipped. */
    public static void read(Path file, Visitor visitor) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteOrder order = header(file, raw);
            DataInputStream in = new DataInputStream(raw);
            long offset = 128;
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                byte[] rest = new byte[7];
                readFully(in, rest, 7, file + ": element at byte " + offset);
                ByteBuffer tag = ByteBuffer.allocate(8).order(order).put((byte) first).put(rest).flip();
                int type = tag.getInt();
                long size = tag.getInt() & 0xFFFFFFFFL;
                String where = file + ": element at byte " + offset;
                InputStream body = new BoundedInputStream(in, size);
                try {
                    element(file, where, type, size, body, in, order, visitor);
                } catch (ZipException e) {
                    throw new DataException(where + ": a compressed variable is not a valid zlib stream ("
                            + e.getMessage() + ")", e);
                } catch (EOFException e) {
                    throw new DataException(where + ": ends early (" + e.getMessage() + "), the file is truncated", e);
                }
                offset += 8 + size + (type == MI_COMPRESSED ? 0 : padding(size));
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e + ")", e);
        }
    }

    private static void element(Path file, String where, int type, long size, InputStream body, DataInputStream in,
                                ByteOrder order, Visitor visitor) throws IOException {
        if (type == MI_COMPRESSED) { // not padded: the next element follows the zlib stream's last byte
            InputStream inflated = new InflaterInputStream(body);
            DataInputStream inner = new DataInputStream(new BufferedInputStream(inflated, 1 << 16));
            matrixElement(file, where + " (compressed)", inner, order, visitor);
            skipAll(body); // what the visitor left, through the compressed bytes
            return;
        }
        if (type == MI_MATRIX) {
            matrix(file, where, new DataInputStream(body), order, size, visitor);
        }
        skipAll(body);
        in.skipNBytes(padding(size));
    }

    private static ByteOrder header(Path file, InputStream in) throws IOException {
        byte[] header = in.readNBytes(128);
        String text = new String(header, 0, Math.min(header.length, 116), StandardCharsets.US_ASCII);
        if (header.length < 128 || !text.startsWith("MATLAB")) {
            throw new DataException(file + ": not a MATLAB .mat file (no 'MATLAB' header text), expected MAT v5");
        }
        if (text.startsWith("MATLAB 7.3")) {
            throw new DataException(file + ": a MATLAB 7.3 (HDF5) file, expected MAT v5: in MATLAB, load it and"
                    + " save it again with -v7");
        }
        if (header[126] == 'I' && header[127] == 'M') {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (header[126] == 'M' && header[127] == 'I') {
            return ByteOrder.BIG_ENDIAN;
        }
        throw new DataException(file + ": header endian indicator '" + (char) header[126] + (char) header[127]
                + "', expected 'IM' or 'MI' (MAT v5)");
    }

    /** The one miMATRIX element inside a compressed element. */
    private static void matrixElement(Path file, String where, DataInputStream in, ByteOrder order, Visitor visitor)
            throws IOException {
        long[] tag = tag(in, order, where);
        if (tag[0] != MI_MATRIX) {
            return; // compressed non-matrix data: nothing Chorus reads
        }
        matrix(file, where, new DataInputStream(new BoundedInputStream(in, tag[1])), order, tag[1], visitor);
    }

    private static void matrix(Path file, String where, DataInputStream in, ByteOrder order, long size, Visitor visitor)
            throws IOException {
        if (size == 0) {
            return; // an empty matrix
        }
        ByteBuffer flags = sub(in, order, MI_UINT32, where + ": array flags");
        int flagWord = flags.getInt();
        int mxClass = flagWord & 0xFF;
        ByteBuffer dimBytes = sub(in, order, MI_INT32, where + ": dimensions");
        int[] dims = new int[dimBytes.remaining() / 4];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = dimBytes.getInt();
        }
        ByteBuffer nameBytes = sub(in, order, MI_INT8, where + ": array name");
        String name = StandardCharsets.US_ASCII.decode(nameBytes).toString();
        String var = file + ": variable '" + name + "'";
        if (mxClass < MX_DOUBLE || mxClass > MX_UINT32) {
            return; // a cell, struct, char, sparse or 64-bit array: not one Chorus reads
        }
        if ((flagWord & COMPLEX) != 0) {
            throw new DataException(var + ": complex, expected real values");
        }
        if (dims.length < 2 || Arrays.stream(dims).anyMatch(d -> d < 0)) {
            throw new DataException(var + ": dimensions " + Arrays.toString(dims) + ", expected two or more, none negative");
        }
        long[] tag = tag(in, order, var + ": real part");
        Variable v = new Variable(name, mxClass, dims, null);
        int width = width((int) tag[0], var);
        if (tag[1] != v.count() * width) {
            throw new DataException(var + ": " + v.shape() + " " + v.className() + " with a real part of " + tag[1]
                    + " bytes, expected " + v.count() * width + " (" + v.count() + " values of " + typeName((int) tag[0]) + ")");
        }
        MatValues values = new MatValues(var, (int) tag[0], v.count(), new DataInputStream(new BoundedInputStream(in, tag[1])), order);
        visitor.variable(new Variable(name, mxClass, dims, values));
    }

    /** A whole sub-element of the expected type, in either tag form, its padding consumed. */
    private static ByteBuffer sub(DataInputStream in, ByteOrder order, int expectedType, String where) throws IOException {
        long[] tag = tag(in, order, where);
        if (tag[0] != expectedType) {
            throw new DataException(where + ": element type " + typeName((int) tag[0]) + ", expected " + typeName(expectedType));
        }
        if (tag[1] > 1 << 20) {
            throw new DataException(where + ": " + tag[1] + " bytes, expected a small header element");
        }
        byte[] data = new byte[(int) tag[1]];
        readFully(in, data, data.length, where);
        in.skipNBytes(tag[2] == 1 ? 4 - tag[1] : padding(tag[1]));
        return ByteBuffer.wrap(data).order(order);
    }

    /** {type, bytes, small}: small = 1 for the 4-byte small-element form, whose data sits in the tag's second word. */
    private static long[] tag(DataInputStream in, ByteOrder order, String where) throws IOException {
        byte[] raw = new byte[4];
        readFully(in, raw, 4, where);
        int word = ByteBuffer.wrap(raw).order(order).getInt();
        if ((word >>> 16) != 0) {
            long bytes = word >>> 16;
            if (bytes > 4) {
                throw new DataException(where + ": small element of " + bytes + " bytes, expected at most 4");
            }
            return new long[] {word & 0xFFFF, bytes, 1};
        }
        readFully(in, raw, 4, where);
        return new long[] {word, ByteBuffer.wrap(raw).order(order).getInt() & 0xFFFFFFFFL, 0};
    }

    static void readFully(InputStream in, byte[] into, int n, String where) throws IOException {
        int got = in.readNBytes(into, 0, n);
        if (got != n) {
            throw new DataException(where + ": ends after " + got + " of " + n + " bytes, the file is truncated");
        }
    }

    private static long padding(long size) {
        return (8 - size % 8) % 8;
    }

    private static void skipAll(InputStream in) throws IOException {
        in.transferTo(java.io.OutputStream.nullOutputStream());
    }

    static int width(int type, String where) {
        return switch (type) {
            case MI_INT8, MI_UINT8 -> 1;
            case MI_INT16, MI_UINT16 -> 2;
            case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
            case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
            default -> throw new DataException(where + ": values of element type " + typeName(type) + ", expected a number type");
        };
    }

    static String typeName(int type) {
        return switch (type) {
            case MI_INT8 -> "miINT8";
            case MI_UINT8 -> "miUINT8";
            case MI_INT16 -> "miINT16";
            case MI_UINT16 -> "miUINT16";
            case MI_INT32 -> "miINT32";
            case MI_UINT32 -> "miUINT32";
            case MI_SINGLE -> "miSINGLE";
            case MI_DOUBLE -> "miDOUBLE";
            case MI_INT64 -> "miINT64";
            case MI_UINT64 -> "miUINT64";
            case MI_MATRIX -> "miMATRIX";
            case MI_COMPRESSED -> "miCOMPRESSED";
            default -> "type " + type;
        };
    }

    static String className(int mxClass) {
        return switch (mxClass) {
            case MX_DOUBLE -> "double";
            case MX_SINGLE -> "single";
            case MX_INT8 -> "int8";
            case MX_UINT8 -> "uint8";
            case MX_INT16 -> "int16";
            case MX_UINT16 -> "uint16";
            case MX_INT32 -> "int32";
            case MX_UINT32 -> "uint32";
            default -> "class " + mxClass;
        };
    }
}
