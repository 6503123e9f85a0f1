package chorus.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generated MultiMNIST split kept in a file, so only the first load reads the npm digits and generates.
 * The file is named after the split, rows, digits, seed and the pinned npm package, and holds a header (magic,
 * format version, rows, digits, seed, a CRC-32 of the body) and then the image bytes and the tokens. A file whose
 * length, header or CRC does not match is stale or corrupt: it is ignored, and the split is generated and the
 * file rewritten. Written to a temporary name and renamed, so a crash never leaves half a cache.
 */
final class MultiMnistCache {

    private static final Logger LOG = LoggerFactory.getLogger(MultiMnistCache.class);
    private static final long MAGIC = 0x43484f52554d4d4eL; // "CHORUMMN"
    private static final int VERSION = 1;
    private static final int HEADER = 8 + 4 + 4 + 4 + 8 + 8;

    private final Path file;
    private final int rows;
    private final int digits;
    private final long seed;

    MultiMnistCache(Path dir, String split, MultiMnistSettings s) {
        this.rows = s.rows(split);
        this.digits = s.maxDigits();
        this.seed = s.seed();
        this.file = dir.resolve(MultiMnist.NAME + "-" + split + "-" + rows + "rows-" + digits + "digits-seed" + seed
                + "-" + NpmMnist.TARBALL_SHA1.substring(0, 8) + ".bin");
    }

    Path file() {
        return file;
    }

    /** The cached split, or empty when there is no usable cache (a stale or corrupt one is logged). */
    Optional<MultiMnist.Generated> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] all = Files.readAllBytes(file);
            int images = rows * MultiMnist.CANVAS * MultiMnist.CANVAS;
            long expected = HEADER + (long) images + (long) rows * digits;
            if (all.length != expected) {
                return stale(all.length + " bytes, expected " + expected);
            }
            ByteBuffer header = ByteBuffer.wrap(all, 0, HEADER);
            if (header.getLong() != MAGIC || header.getInt() != VERSION || header.getInt() != rows
                    || header.getInt() != digits || header.getLong() != seed) {
                return stale("its header describes another split");
            }
            long crc = header.getLong();
            if (crc(all, HEADER, all.length - HEADER) != crc) {
                return stale("its contents do not match their CRC-32");
            }
            byte[] pixels = java.util.Arrays.copyOfRange(all, HEADER, HEADER + images);
            byte[] tokens = java.util.Arrays.copyOfRange(all, HEADER + images, all.length);
            for (byte t : tokens) {
                if (t < 0 || t >= MultiMnist.VOCABULARY) {
                    return stale("a token " + t + " outside 0.." + (MultiMnist.VOCABULARY - 1));
                }
            }
            return Optional.of(new MultiMnist.Generated(pixels, tokens));
        } catch (IOException e) {
            return stale("cannot read (" + e.getMessage() + ")");
        }
    }

    /** Writes {@code g} atomically; a failure is logged and the run goes on without a cache. */
    void write(MultiMnist.Generated g) {
        byte[] body = new byte[g.images().length + g.tokens().length];
        System.arraycopy(g.images(), 0, body, 0, g.images().length);
        System.arraycopy(g.tokens(), 0, body, g.images().length, g.tokens().length);
        ByteBuffer out = ByteBuffer.allocate(HEADER + body.length);
        out.putLong(MAGIC).putInt(VERSION).putInt(rows).putInt(digits).putLong(seed)
                .putLong(crc(body, 0, body.length)).put(body);
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.write(tmp, out.array());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.info("cached the generated MultiMNIST split in {}", file);
        } catch (IOException e) {
            LOG.warn("cannot write the MultiMNIST cache {} ({}); the next load generates it again", file, e.toString());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file stays; it is never read
                }
            }
        }
    }

    private Optional<MultiMnist.Generated> stale(String why) {
        LOG.info("ignoring the MultiMNIST cache {}: {}; generating the split again", file, why);
        return Optional.empty();
    }

    private static long crc(byte[] b, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(b, offset, length);
        return crc.getValue();
    }
}
