package chorus.data;

import java.io.FilterInputStream;
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
            Bounded content = new Bounded(tar, size);
            if (type == '0' || type == '\0') {
                handler.accept(path, content);
            }
            content.skipRest();
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

    /** The content of one entry: reads stop at its size; closing does not close the tar stream. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long size) {
            super(in);
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int read = super.read(buffer, offset, (int) Math.min(length, left));
            if (read > 0) {
                left -= read;
            }
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), left);
        }

        @Override
        public void close() {
            // The tar stream outlives its entries.
        }

        void skipRest() throws IOException {
            skipFully(in, left, "entry");
            left = 0;
        }
    }
}
