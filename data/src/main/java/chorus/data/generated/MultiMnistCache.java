package chorus.data.generated;

import chorus.data.ByteCache;
import chorus.data.ByteImages;
import chorus.data.npm.NpmMnist;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generated MultiMNIST split kept in a {@link ByteCache}, so only the first load reads the npm digits and
 * generates: a row is the image's 50x50 bytes followed by its digit tokens, and the cache key names the split,
 * rows, digits, seed and the pinned npm package. A stale or corrupt file (header, length, CRC, or a token out
 * of the vocabulary) is ignored, and the split is generated and the file rewritten.
 */
public final class MultiMnistCache {

    private static final Logger LOG = LoggerFactory.getLogger(MultiMnistCache.class);
    private static final int VERSION = 2; // the ByteCache layout
    private static final int IMAGE = MultiMnist.CANVAS * MultiMnist.CANVAS;

    private final ByteCache cache;
    private final String where;
    private final int rows;
    private final int digits;

    public MultiMnistCache(Path dir, String split, MultiMnistSettings s) {
        this.rows = s.rows(split);
        this.digits = s.maxDigits();
        this.where = MultiMnist.NAME + "/" + split;
        byte[] key = sha256(MultiMnist.NAME + " v" + VERSION + " " + split + " rows " + rows + " digits " + digits
                + " seed " + s.seed() + " npm " + NpmMnist.TARBALL_SHA1);
        this.cache = new ByteCache(dir.resolve(MultiMnist.NAME + "-" + split + "-" + rows + "rows-" + digits + "digits-"
                + ByteCache.shortHex(key) + ".u8"), rows, IMAGE + digits, key);
    }

    public Path file() {
        return cache.file();
    }

    /** The cached split, or empty when there is no usable cache (a stale or corrupt one is logged). */
    public Optional<MultiMnist.Generated> read() {
        return cache.read(where).flatMap(this::generated);
    }

    /** Writes {@code g} atomically; a failure is logged and the run goes on without a cache. */
    public void write(MultiMnist.Generated g) {
        INDArray table = ByteImages.allocate(rows, IMAGE + digits, where); // [N, 2500 + digits]
        ByteBuffer out = ByteImages.buffer(table);
        for (int r = 0; r < rows; r++) {
            out.put(g.images(), r * IMAGE, IMAGE).put(g.tokens(), r * digits, digits);
        }
        cache.write(table);
    }

    private Optional<MultiMnist.Generated> generated(INDArray table) {
        ByteBuffer in = ByteImages.buffer(table);
        byte[] images = new byte[rows * IMAGE];
        byte[] tokens = new byte[rows * digits];
        for (int r = 0; r < rows; r++) {
            in.get(images, r * IMAGE, IMAGE).get(tokens, r * digits, digits);
        }
        for (byte t : tokens) {
            if (t < 0 || t >= MultiMnist.VOCABULARY) {
                LOG.info("ignoring the MultiMNIST cache {}: a token {} outside 0..{}; generating the split again",
                        cache.file(), t, MultiMnist.VOCABULARY - 1);
                return Optional.empty();
            }
        }
        return Optional.of(new MultiMnist.Generated(images, tokens));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
