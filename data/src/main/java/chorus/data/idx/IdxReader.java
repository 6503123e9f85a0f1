package chorus.data.idx;

import chorus.data.DataException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format: a big-endian magic number, the dimensions,
 * then unsigned bytes), gzip-compressed or raw; gzip is recognised by its 0x1f8b magic, not by the
 * file name. Every check failure is a {@link DataException} naming the file and what was expected
 * versus found: the magic number, the dimensions, and that the file holds exactly the bytes the
 * header counts (neither truncated nor followed by trailing bytes).
 */
public final class IdxReader {

    /** Magic of an unsigned-byte 3-D IDX file (images: count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an unsigned-byte 1-D IDX file (labels: count). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** The images of one IDX file: {@code pixels} holds {@code count * rows * cols} bytes, row-major. */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {

        /** The pixels scaled to [0, 1] as one flat array {@code [count * rows * cols]}. */
        public float[] unitFloats() {
            float[] values = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                values[i] = (pixels[i] & 0xFF) / 255f;
            }
            return values;
        }
    }

    /** The labels of one IDX file, each checked to lie in {@code [0, classes)}. */
    public record Labels(Path file, int[] labels) {

        public int count() {
            return labels.length;
        }
    }

    private IdxReader() {
    }

    /**
     * Reads an images file (magic {@code 0x00000803}). The pixels are read straight into their array after the
     * header, so the Java heap holds the file's bytes once (47 MB for Fashion-MNIST's training split).
     */
    public static Images readImages(Path file) {
        return read(file, in -> {
            byte[] head = in.readNBytes(16);
            header(file, head, IMAGES_MAGIC, 16, "IDX unsigned-byte 3-D images");
            int count = dimension(file, head, 4, "image count", 0);
            int rows = dimension(file, head, 8, "rows", 1);
            int cols = dimension(file, head, 12, "columns", 1);
            long expected = (long) count * rows * cols;
            String says = count + " images of " + rows + "x" + cols + " (" + expected + " bytes)";
            checkSize(file, expected, says);
            byte[] pixels = in.readNBytes((int) expected);
            long trailing = pixels.length < expected ? 0 : in.transferTo(OutputStream.nullOutputStream());
            checkLength(file, pixels.length + trailing, expected, says);
            return new Images(file, count, rows, cols, pixels);
        });
    }

    /** The image count in the header of an images file, without reading its pixels (checks the magic only). */
    public static int imageCount(Path file) {
        return read(file, in -> {
            byte[] head = in.readNBytes(16);
            header(file, head, IMAGES_MAGIC, 16, "IDX unsigned-byte 3-D images");
            return dimension(file, head, 4, "image count", 0);
        });
    }

    /** Reads a labels file (magic {@code 0x00000801}) whose every label must be below {@code classes}. */
    public static Labels readLabels(Path file, int classes) {
        byte[] bytes = readAll(file);
        header(file, bytes, LABELS_MAGIC, 8, "IDX unsigned-byte 1-D labels");
        int count = dimension(file, bytes, 4, "label count", 0);
        checkLength(file, bytes.length - 8L, count, count + " labels (" + count + " bytes)");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = bytes[8 + i] & 0xFF;
            if (labels[i] >= classes) {
                throw new DataException(file + ": label " + i + " is " + labels[i]
                        + ", expected a class in [0, " + classes + ")");
            }
        }
        return new Labels(file, labels);
    }

    /** Fails, naming both files, unless the images and labels files count the same examples. */
    public static void requireSameCount(Images images, Labels labels) {
        if (images.count() != labels.count()) {
            throw new DataException(images.file() + " and " + labels.file() + ": " + images.count()
                    + " images but " + labels.count() + " labels, expected one label per image");
        }
    }

    private static byte[] readAll(Path file) {
        return read(file, InputStream::readAllBytes);
    }

    /** What {@code body} reads from the file, gunzipped when it starts with gzip's magic. */
    private static <T> T read(Path file, StreamReader<T> body) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            if (!gzip) {
                return body.read(raw);
            }
            try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                return body.read(in);
            }
        } catch (EOFException e) {
            throw new DataException(file + ": truncated gzip stream, expected a complete gzip member ("
                    + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new DataException(file + ": corrupt gzip stream, expected valid gzip (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e + ")", e);
        }
    }

    private interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    private static void header(Path file, byte[] bytes, int magic, int headerBytes, String what) {
        if (bytes.length < headerBytes) {
            throw new DataException(file + ": " + bytes.length + " bytes, expected at least the "
                    + headerBytes + "-byte header of " + what);
        }
        int found = bigEndian(bytes, 0);
        if (found != magic) {
            throw new DataException(file + ": magic number " + hex(found) + ", expected " + hex(magic)
                    + " (" + what + ")");
        }
    }

    private static int dimension(Path file, byte[] bytes, int offset, String name, int min) {
        int value = bigEndian(bytes, offset);
        if (value < min) {
            throw new DataException(file + ": header " + name + " is " + Integer.toUnsignedString(value)
                    + ", expected at least " + min);
        }
        return value;
    }

    private static void checkSize(Path file, long expected, String says) {
        if (expected > Integer.MAX_VALUE - 16) {
            throw new DataException(file + ": header says " + says + ", expected at most "
                    + (Integer.MAX_VALUE - 16) + " bytes");
        }
    }

    private static void checkLength(Path file, long found, long expected, String says) {
        checkSize(file, expected, says);
        if (found < expected) {
            throw new DataException(file + ": truncated: header says " + says + ", found " + found + " bytes");
        }
        if (found > expected) {
            throw new DataException(file + ": trailing bytes: header says " + says + ", found " + found + " bytes");
        }
    }

    private static int bigEndian(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
