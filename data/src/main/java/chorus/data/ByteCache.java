package chorus.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UINT8 rows that are slow to make (decoded CelebA JPEGs, generated PolyMNIST images) kept in a binary file
 * so that only the first load makes them. The file holds a header (magic, row size, rows, a 32-byte key
 * naming what the rows were made from, e.g. the SHA-256 of CelebA's list files or of PolyMNIST's settings,
 * and a CRC-32 of the bytes) and then the rows. A file whose header, length or CRC does not match is stale
 * or corrupt: it is ignored (logged) and rewritten. Files are written to a temporary name and renamed, so a
 * crash never leaves half a cache.
 */
public final class ByteCache {

    private static final Logger LOG = LoggerFactory.getLogger(ByteCache.class);
    private static final long MAGIC = 0x43484f5255534341L; // "CHORUSCA"
    private static final int HEADER = 8 + 4 + 4 + 32 + 8;

    private final Path file;
    private final int rowSize;
    private final int rows;
    private final byte[] key;

    /** The cache {@code file} of {@code rows} rows of {@code rowSize} bytes made from what {@code key} (32 bytes) names. */
    public ByteCache(Path file, int rows, int rowSize, byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("cache key of " + key.length + " bytes, expected 32 (a SHA-256)");
        }
        this.file = file;
        this.rowSize = rowSize;
        this.rows = rows;
        this.key = key.clone();
    }

    /** The 16 hex digits of {@code key} that cache file names carry. */
    public static String shortHex(byte[] key) {
        return java.util.HexFormat.of().formatHex(key, 0, 8);
    }

    public Path file() {
        return file;
    }

    /** The cached images, or empty when there is no usable cache (a stale or corrupt one is logged). */
    public Optional<INDArray> read(String where) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        int size = rowSize;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long expected = HEADER + (long) rows * size;
            if (in.size() != expected) {
                return stale(in.size() + " bytes, expected " + expected);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
            readFully(in, header);
            header.flip();
            boolean same = header.getLong() == MAGIC && header.getInt() == rowSize && header.getInt() == rows;
            byte[] hash = new byte[32];
            header.get(hash);
            if (!same || !Arrays.equals(hash, key)) {
                return stale("its header describes other images");
            }
            long crc = header.getLong();
            INDArray images = ByteImages.allocate(rows, size, where);
            ByteBuffer pixels = ByteImages.buffer(images);
            readFully(in, pixels);
            pixels.flip();
            if (crc(pixels) != crc) {
                return stale("the pixels do not match their CRC-32");
            }
            return Optional.of(images);
        } catch (IOException e) {
            return stale("cannot read (" + e.getMessage() + ")");
        }
    }

    /** Writes {@code images} atomically; a failure is logged and the run goes on without a cache. */
    public void write(INDArray images) {
        ByteBuffer pixels = ByteImages.buffer(images);
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
        header.putLong(MAGIC).putInt(rowSize).putInt(rows).put(key).putLong(crc(pixels.duplicate())).flip();
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                while (header.hasRemaining()) {
                    out.write(header);
                }
                ByteBuffer p = pixels.duplicate();
                while (p.hasRemaining()) {
                    out.write(p);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.info("cached {} rows in {}", rows, file);
        } catch (IOException e) {
            LOG.warn("cannot write the cache {} ({}); the next load makes its rows again", file, e.toString());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file stays; it is never read
                }
            }
        }
    }

    private Optional<INDArray> stale(String why) {
        LOG.info("ignoring the cache {}: {}; making its rows again", file, why);
        return Optional.empty();
    }

    private static long crc(ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(b.duplicate());
        return crc.getValue();
    }

    private static void readFully(FileChannel in, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
