package chorus.data.svhn;

import chorus.data.ByteImages;
import chorus.data.DataException;
import chorus.data.fetch.DatasetFiles;
import chorus.data.fetch.Fetcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SVHN's cropped digits (Netzer et al. 2011, "Reading Digits in Natural Images with Unsupervised Feature
 * Learning"), format 2: {@code train_32x32.mat} (73,257 images) and {@code test_32x32.mat} (26,032) from
 * {@value #HOME_PAGE}, MATLAB v5 files (read by {@link MatV5}, compressed or not) holding {@code X}, a
 * 32x32x3xN uint8 array (row, column, channel, image), and {@code y}, N labels 1 to 10 where 10 is the digit
 * 0. Chorus cannot download them here; {@link #noDownload} says where to put them.
 *
 * <p>Images come out as UINT8 {@code [N, 3*32*32]} in C, H, W row-major order ({@link ByteImages}), labels
 * as 0 to 9.
 */
public final class Svhn implements DatasetFiles {

    /** The directory name under {@code $CHORUS_DATA} or {@code ~/.chorus/datasets}. */
    public static final String NAME = "svhn";
    /** Where the files come from. */
    public static final String HOME_PAGE = "http://ufldl.stanford.edu/housenumbers/";
    /** Side of the square images. */
    public static final int SIDE = 32;
    /** Bytes of one image. */
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;

    /** One split: UINT8 {@code [N, 3072]} images and their digits 0 to 9. */
    public record Split(INDArray images, int[] labels) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String expected() {
        return file("train") + " and " + file("test") + " (format 2 of " + HOME_PAGE + ")";
    }

    @Override
    public List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String split : List.of("train", "test")) {
            if (!Files.isRegularFile(dir.resolve(file(split)))) {
                missing.add(file(split));
            }
        }
        return missing;
    }

    @Override
    public Optional<String> debianPackage() {
        return Optional.empty();
    }

    /** The file of split {@code train} or {@code test}. */
    public static String file(String split) {
        return switch (split) {
            case "train", "test" -> split + "_32x32.mat";
            default -> throw new IllegalArgumentException("split '" + split + "', expected train or test");
        };
    }

    /** The "fetcher" that says where to get the files, since Chorus cannot download them here. */
    public Fetcher noDownload() {
        return new Fetcher() {
            @Override
            public String describe(Path dir) {
                return "no download (get " + file("train") + " and " + file("test") + " from " + HOME_PAGE
                        + " and put them in " + dir + ")";
            }

            @Override
            public void fetchInto(Path dir) {
                throw new DataException("Chorus does not download SVHN");
            }
        };
    }

    /** Reads split {@code split} from {@code dir}. */
    public static Split read(Path dir, String split) {
        Path file = dir.resolve(file(split));
        INDArray[] images = new INDArray[1];
        int[][] labels = new int[1][];
        MatV5.read(file, v -> {
            if (v.name().equals("X")) {
                images[0] = images(file, v);
            } else if (v.name().equals("y")) {
                labels[0] = labels(file, v);
            }
        });
        if (images[0] == null || labels[0] == null) {
            throw new DataException(file + ": no variable '" + (images[0] == null ? "X" : "y") + "', expected X (32x32x3xN"
                    + " uint8 images) and y (N labels 1 to 10)");
        }
        if (labels[0].length != images[0].size(0)) {
            throw new DataException(file + ": variable 'y' holds " + labels[0].length + " labels for the "
                    + images[0].size(0) + " images of 'X', expected one per image");
        }
        return new Split(images[0], labels[0]);
    }

    private static INDArray images(Path file, MatV5.Variable x) throws IOException {
        int[] d = x.dims();
        int n = d.length == 4 ? d[3] : d.length == 3 ? 1 : -1; // MATLAB drops a trailing dimension of 1
        if (n < 0 || d[0] != SIDE || d[1] != SIDE || d[2] != 3) {
            throw new DataException(file + ": variable 'X' is " + x.shape() + ", expected 32x32x3xN");
        }
        if (x.mxClass() != MatV5.MX_UINT8) {
            throw new DataException(file + ": variable 'X' is " + x.className() + ", expected uint8");
        }
        INDArray images = ByteImages.allocate(n, IMAGE_BYTES, file.toString()); // [N, 3072]
        ByteBuffer out = ByteImages.buffer(images);
        byte[] one = new byte[IMAGE_BYTES]; // MATLAB's column-major (row, column, channel) of one image
        for (int i = 0; i < n; i++) {
            x.values().readBytes(one, IMAGE_BYTES);
            for (int c = 0; c < 3; c++) {
                for (int col = 0; col < SIDE; col++) {
                    for (int row = 0; row < SIDE; row++) {
                        out.put(i * IMAGE_BYTES + c * SIDE * SIDE + row * SIDE + col, one[c * SIDE * SIDE + col * SIDE + row]);
                    }
                }
            }
        }
        return images;
    }

    private static int[] labels(Path file, MatV5.Variable y) throws IOException {
        int[] d = y.dims();
        if (d.length != 2 || Math.min(d[0], d[1]) != 1 && y.count() != 0) {
            throw new DataException(file + ": variable 'y' is " + y.shape() + ", expected Nx1 labels");
        }
        double[] values = y.values().readAll();
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (v != Math.rint(v) || v < 1 || v > 10) {
                throw new DataException(file + ": variable 'y', label " + (i + 1) + " is " + v
                        + ", expected a whole number 1 to 10 (10 meaning the digit 0)");
            }
            labels[i] = (int) v % 10;
        }
        return labels;
    }
}
