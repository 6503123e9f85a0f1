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
 * The decoded images of one CelebA split, kept in a binary file so that only the first load decodes the
 * JPEGs. The file is named after the split, image size, row count and a hash of the two list files, and
 * holds a header (magic, image size, rows, the SHA-256 of the list files, a CRC-32 of the pixels) and then
 * the UINT8 rows. A file whose header, length or CRC does not match is stale or corrupt: it is ignored and
 * rewritten. Files are written to a temporary name and renamed, so a crash never leaves half a cache.
 * Replacing JPEGs without touching the list files is not detected; delete the cache then.
 */
final class CelebACache {

    private static final Logger LOG = LoggerFactory.getLogger(CelebACache.class);
    private static final long MAGIC = 0x43484f5255534341L; // "CHORUSCA"
    private static final int HEADER = 8 + 4 + 4 + 32 + 8;

    private final Path file;
    private final int side;
    private final int rows;
    private final byte[] listHash;

    /** The cache of {@code rows} images of side {@code side} of {@code split}, in {@code dir}. */
    CelebACache(Path dir, String split, int side, int rows, byte[] listHash) {
        this.side = side;
        this.rows = rows;
        this.listHash = listHash.clone();
        String hex = java.util.HexFormat.of().formatHex(listHash, 0, 8);
        this.file = dir.resolve("celeba-" + split + "-" + side + "px-" + rows + "rows-" + hex + ".u8");
    }

    Path file() {
        return file;
    }

    /** The cached images, or empty when there is no usable cache (a stale or corrupt one is logged). */
    Optional<INDArray> read(String where) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        int size = 3 * side * side;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long expected = HEADER + (long) rows * size;
            if (in.size() != expected) {
                return stale(in.size() + " bytes, expected " + expected);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
            readFully(in, header);
            header.flip();
            boolean same = header.getLong() == MAGIC && header.getInt() == side && header.getInt() == rows;
            byte[] hash = new byte[32];
            header.get(hash);
            if (!same || !Arrays.equals(hash, listHash)) {
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
    void write(INDArray images) {
        ByteBuffer pixels = ByteImages.buffer(images);
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
        header.putLong(MAGIC).putInt(side).putInt(rows).put(listHash).putLong(crc(pixels.duplicate())).flip();
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
            LOG.info("cached the decoded images in {}", file);
        } catch (IOException e) {
            LOG.warn("cannot write the image cache {} ({}); the next load decodes the JPEGs again", file, e.toString());
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
        LOG.info("ignoring the image cache {}: {}; decoding the JPEGs again", file, why);
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
