package chorus.data.svhn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DeflaterOutputStream;

/**
 * A tiny MATLAB v5 writer for tests: little-endian, each variable an miMATRIX (optionally inside an
 * miCOMPRESSED zlib element, as MATLAB's default {@code save} writes), names of up to 4 characters in the
 * small-element form as MATLAB writes them, every element padded to 8 bytes.
 */
final class MatFixtures {

    /** One numeric variable: its class (mx*), dimensions, stored element type (mi*) and raw little-endian values. */
    record Var(String name, int mxClass, int[] dims, int type, byte[] values, boolean complex) {
        Var(String name, int mxClass, int[] dims, int type, byte[] values) {
            this(name, mxClass, dims, type, values, false);
        }
    }

    private MatFixtures() {
    }

    /** SVHN's X: n random-looking 32x32x3 uint8 images, column-major; pixel (r, c, ch) of image i is {@link #pixel}. */
    static Var svhnImages(int n) {
        byte[] x = new byte[n * 3072];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int c = 0; c < 32; c++) {
                    for (int r = 0; r < 32; r++) {
                        x[i * 3072 + ch * 1024 + c * 32 + r] = (byte) pixel(i, r, c, ch);
                    }
                }
            }
        }
        return new Var("X", MatV5.MX_UINT8, new int[] {32, 32, 3, n}, MatV5.MI_UINT8, x);
    }

    /** The fixture pixel at row r, column c, channel ch of image i. */
    static int pixel(int i, int r, int c, int ch) {
        return (i * 31 + r * 7 + c * 3 + ch * 101) & 0xFF;
    }

    /** SVHN's y: labels 1..10 stored as doubles (class double), {@code n x 1}. */
    static Var labelsAsDoubles(double... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 * labels.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double l : labels) {
            b.putDouble(l);
        }
        return new Var("y", MatV5.MX_DOUBLE, new int[] {labels.length, 1}, MatV5.MI_DOUBLE, b.array());
    }

    /** y of class double stored as miUINT8, as MATLAB saves small whole numbers. */
    static Var labelsAsBytes(int... labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            b[i] = (byte) labels[i];
        }
        return new Var("y", MatV5.MX_DOUBLE, new int[] {labels.length, 1}, MatV5.MI_UINT8, b);
    }

    /** Writes {@code vars} to {@code file}, each compressed or not. */
    static Path write(Path file, boolean compress, List<Var> vars) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header());
        for (Var v : vars) {
            byte[] matrix = element(MatV5.MI_MATRIX, matrixBody(v));
            if (compress) {
                ByteArrayOutputStream z = new ByteArrayOutputStream();
                try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
                    d.write(matrix);
                }
                byte[] zb = z.toByteArray();
                out.write(tag(MatV5.MI_COMPRESSED, zb.length));
                out.write(zb); // not padded, as MATLAB writes it
            } else {
                out.write(matrix);
            }
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, out.toByteArray());
    }

    /** The 128-byte header: text, subsystem offset, version 0x0100 and "IM" (little-endian). */
    static byte[] header() {
        byte[] h = new byte[128];
        Arrays.fill(h, 0, 116, (byte) ' ');
        byte[] text = "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, h, 0, text.length);
        h[124] = 0x00;
        h[125] = 0x01;
        h[126] = 'I';
        h[127] = 'M';
        return h;
    }

    private static byte[] matrixBody(Var v) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer flags = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(v.mxClass() | (v.complex() ? 0x0800 : 0)).putInt(0);
        body.write(element(MatV5.MI_UINT32, flags.array()));
        ByteBuffer dims = ByteBuffer.allocate(4 * v.dims().length).order(ByteOrder.LITTLE_ENDIAN);
        for (int d : v.dims()) {
            dims.putInt(d);
        }
        body.write(element(MatV5.MI_INT32, dims.array()));
        byte[] name = v.name().getBytes(StandardCharsets.US_ASCII);
        if (name.length <= 4) { // small data element: size in the upper half of the first word
            ByteBuffer small = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((name.length << 16) | MatV5.MI_INT8);
            small.put(name);
            body.write(small.array());
        } else {
            body.write(element(MatV5.MI_INT8, name));
        }
        body.write(element(v.type(), v.values()));
        if (v.complex()) {
            body.write(element(v.type(), v.values()));
        }
        return body.toByteArray();
    }

    /** Tag, data and padding to 8 bytes. */
    private static byte[] element(int type, byte[] data) throws IOException {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        e.write(tag(type, data.length));
        e.write(data);
        e.write(new byte[(8 - data.length % 8) % 8]);
        return e.toByteArray();
    }

    private static byte[] tag(int type, int bytes) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(bytes).array();
    }
}
