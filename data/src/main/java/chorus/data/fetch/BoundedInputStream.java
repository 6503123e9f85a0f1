package chorus.data.fetch;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * At most {@code limit} bytes of {@code in}: a MAT element's body ({@code svhn.MatV5}) or a tar entry's content
 * ({@link TarReader}), so a malformed inner size cannot read past it; the underlying stream ending first is an
 * {@link EOFException}. Closing it does not close {@code in}, which outlives its parts.
 */
public final class BoundedInputStream extends FilterInputStream {
    private long left;

    public BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.left = limit;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = super.read();
        if (b < 0) {
            throw new EOFException("expected " + left + " more bytes");
        }
        left--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            throw new EOFException("expected " + left + " more bytes");
        }
        left -= n;
        return n;
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
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the enclosing stream goes on
    }

    /** Bytes of the bound not read yet. */
    public long remaining() {
        return Math.max(left, 0);
    }
}
