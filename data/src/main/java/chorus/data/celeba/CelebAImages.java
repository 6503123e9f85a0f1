package chorus.data.celeba;

import chorus.data.ByteImages;
import chorus.data.DataException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes CelebA's JPEGs into UINT8 rows {@code [3, S, S]} (channel planes R, G, B): each image is
 * centre-cropped to a square of its shorter side (178x218 -> the middle 178x178) and shrunk to S x S by
 * area averaging (every output pixel is the mean of the source area it covers). MVAE resizes the
 * shorter side to 64 and then centre-crops, which covers the same square. A JPEG that is missing,
 * unreadable or truncated is an error naming the file and the list line that names it.
 */
final class CelebAImages {

    private static final Logger LOG = LoggerFactory.getLogger(CelebAImages.class);
    private static final int PROGRESS_EVERY = 10_000;

    private CelebAImages() {
    }

    /** Decodes {@code files} (under {@code dir}; {@code lines[i]} of {@code listFile} names file i) into a new array. */
    static INDArray decode(Path dir, List<String> files, int[] lines, Path listFile, int side, String where) {
        int size = 3 * side * side;
        INDArray images = ByteImages.allocate(files.size(), size, where); // [N, 3*S*S]
        ByteBuffer out = ByteImages.buffer(images);
        AtomicInteger done = new AtomicInteger();
        long started = System.nanoTime();
        LOG.info("{}: decoding {} JPEGs to {}x{} (once: the bytes are cached)", where, files.size(), side, side);
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            Path file = dir.resolve(files.get(i));
            byte[] row = squareRgb(read(file, listFile, lines[i]), side);
            out.duplicate().position(i * size).put(row);
            int n = done.incrementAndGet();
            if (n % PROGRESS_EVERY == 0) {
                LOG.info("{}: decoded {} of {} images ({} s)", where, n, files.size(),
                        (System.nanoTime() - started) / 1_000_000_000L);
            }
        });
        return images;
    }

    /** The image in {@code file}; a JPEG the decoder warns about (e.g. truncated) is an error too. */
    static BufferedImage read(Path file, Path listFile, int line) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": no such image, listed in " + listFile + " line " + line);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file + ": not an image ImageIO can read (listed in " + listFile + " line "
                        + line + ")");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new DataException(file + ": corrupt image (" + warnings.get(0) + "), listed in " + listFile
                            + " line " + line);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d) {
                throw d;
            }
            throw new DataException(file + ": cannot decode (" + e.getMessage() + "), listed in " + listFile
                    + " line " + line, e);
        }
    }

    /** The centre square of {@code image} shrunk to {@code side} x {@code side}, as bytes R plane, G plane, B plane. */
    static byte[] squareRgb(BufferedImage image, int side) {
        int w = image.getWidth();
        int h = image.getHeight();
        int crop = Math.min(w, h);
        int[] argb = image.getRGB((w - crop) / 2, (h - crop) / 2, crop, crop, null, 0, crop); // [crop * crop]
        float[][] weights = areaWeights(crop, side); // [side][crop]
        byte[] out = new byte[3 * side * side];
        float[] rowSums = new float[3 * crop];
        for (int oy = 0; oy < side; oy++) {
            java.util.Arrays.fill(rowSums, 0f);
            for (int y = 0; y < crop; y++) { // vertical pass: this output row's weighted sum of source rows
                float wy = weights[oy][y];
                if (wy == 0f) {
                    continue;
                }
                for (int x = 0; x < crop; x++) {
                    int p = argb[y * crop + x];
                    rowSums[x] += wy * ((p >> 16) & 0xFF);
                    rowSums[crop + x] += wy * ((p >> 8) & 0xFF);
                    rowSums[2 * crop + x] += wy * (p & 0xFF);
                }
            }
            for (int ox = 0; ox < side; ox++) { // horizontal pass
                for (int c = 0; c < 3; c++) {
                    float v = 0f;
                    for (int x = 0; x < crop; x++) {
                        v += weights[ox][x] * rowSums[c * crop + x];
                    }
                    out[c * side * side + oy * side + ox] = (byte) Math.min(255, Math.round(v));
                }
            }
        }
        return out;
    }

    /** w[o][s]: the share of source pixel s in output pixel o when {@code from} pixels shrink (or grow) to {@code to}. */
    static float[][] areaWeights(int from, int to) {
        float[][] w = new float[to][from];
        double scale = (double) from / to;
        for (int o = 0; o < to; o++) {
            double lo = o * scale;
            double hi = (o + 1) * scale;
            for (int s = (int) Math.floor(lo); s < Math.min(from, (int) Math.ceil(hi)); s++) {
                double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
                w[o][s] = (float) (Math.max(0, overlap) / scale);
            }
        }
        return w;
    }
}
