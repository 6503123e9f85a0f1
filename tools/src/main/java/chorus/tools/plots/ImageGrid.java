package chorus.tools.plots;

import chorus.tools.run.AtomicFile;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes images (rows of a [n, channels*height*width] array in [0,1]) as a PNG grid with an optional
 * caption under each cell. One or three channels; the file is written to a temp name and renamed.
 */
public final class ImageGrid {

    private static final int CAPTION = 12;

    private ImageGrid() {
    }

    /**
     * Fails with an {@link IllegalArgumentException} naming {@code option} and {@code out} when {@link #write}
     * could not write there: {@code out} is a directory, or its nearest existing ancestor is not a writable
     * directory. Creates nothing, so a command can check its output before the work and write nothing on error.
     */
    public static void checkWritable(String option, Path out) {
        Path file = out.toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + out + ": is a directory, expected a file name such as grid.png");
        }
        Path dir = file.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + out + ": cannot create it, " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(option + " " + out + ": cannot write in " + dir + " (permission denied)");
        }
    }

    /** Writes {@code images} [n, c*h*w] as a grid of {@code columns} columns, scaled by {@code zoom}. */
    public static void write(Path out, INDArray images, int channels, int height, int width, int columns,
                             int zoom, List<String> captions) throws IOException {
        int n = (int) images.size(0);
        if (images.size(1) != (long) channels * height * width) {
            throw new IllegalArgumentException("image grid: rows of " + images.size(1) + " values, expected "
                    + channels + "x" + height + "x" + width);
        }
        int rows = (n + columns - 1) / columns;
        int cellW = width * zoom + 2;
        int cellH = height * zoom + 2 + (captions == null ? 0 : CAPTION);
        BufferedImage img = new BufferedImage(columns * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        float[] values = images.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        int size = channels * height * width;
        for (int i = 0; i < n; i++) {
            int x0 = (i % columns) * cellW + 1;
            int y0 = (i / columns) * cellH + 1;
            for (int y = 0; y < height * zoom; y++) {
                for (int x = 0; x < width * zoom; x++) {
                    int p = (y / zoom) * width + x / zoom;
                    int r = level(values[i * size + p]);
                    int gr = channels == 3 ? level(values[i * size + height * width + p]) : r;
                    int b = channels == 3 ? level(values[i * size + 2 * height * width + p]) : r;
                    img.setRGB(x0 + x, y0 + y, (r << 16) | (gr << 8) | b);
                }
            }
            if (captions != null && i < captions.size()) {
                g.setColor(Color.BLACK);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                g.drawString(captions.get(i), x0, y0 + height * zoom + CAPTION - 2);
            }
        }
        g.dispose();
        AtomicFile.write(out, stream -> ImageIO.write(img, "png", stream));
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
