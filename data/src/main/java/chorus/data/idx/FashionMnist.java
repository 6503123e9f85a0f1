package chorus.data.idx;

import chorus.data.DataException;
import chorus.data.Dataset;
import chorus.data.LabelledImages;
import chorus.data.fetch.AptDownload;
import chorus.data.fetch.DatasetFiles;
import chorus.data.fetch.Fetcher;
import chorus.data.fetch.UrlDownloader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 60,000 training and 10,000 test 28x28 grey
 * images of 10 clothing classes, in four IDX files, gzip-compressed or not. The modalities are
 * {@link LabelledImages#IMAGE} (held as bytes, {@link LabelledImages#ofBytes}) and {@link LabelledImages#LABEL}.
 */
public final class FashionMnist implements DatasetFiles {

    /** The dataset's name in config and its directory name. */
    public static final String NAME = "fashion-mnist";
    /** The names of the ten classes, by label index (Xiao et al. 2017). */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Rows of the canonical training and test splits. */
    public static final int TRAIN_ROWS = 60_000;
    public static final int TEST_ROWS = 10_000;
    /** The canonical download address of the four gzip files. */
    public static final String BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    /** The Debian package installing the files under /usr/share/datasets/fashion-mnist. */
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";

    /** SHA-256 of each gzip file (download order), computed from the files of {@link #DEBIAN_PACKAGE}. */
    public static final Map<String, String> SHA256 = sha256();

    private static Map<String, String> sha256() {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put("train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7");
        hashes.put("train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056");
        hashes.put("t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa");
        hashes.put("t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");
        return Collections.unmodifiableMap(hashes);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String expected() {
        return String.join(", ", baseNames().stream().map(b -> b + "[.gz]").toList());
    }

    @Override
    public List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String base : baseNames()) {
            if (find(dir, base).isEmpty()) {
                missing.add(base + "[.gz]");
            }
        }
        return missing;
    }

    @Override
    public Optional<String> debianPackage() {
        return Optional.of(DEBIAN_PACKAGE);
    }

    /** Where {@link #DEBIAN_PACKAGE} holds the four files. */
    public static final String PACKAGE_DIR = "usr/share/datasets/" + NAME;

    /**
     * The fetchers tried in turn when the files are nowhere local: the canonical address, then the Debian
     * package downloaded and unpacked without root ({@code apt-get} and {@code dpkg-deb} on the PATH of
     * {@code env}); both SHA-256 checked.
     */
    public static List<Fetcher> fetchers(Map<String, String> env) {
        return List.of(downloader(), new AptDownload(env, DEBIAN_PACKAGE, PACKAGE_DIR, SHA256));
    }

    /** The fetcher of the canonical files, SHA-256 checked. */
    private static Fetcher downloader() {
        return new UrlDownloader(BASE_URL, SHA256);
    }

    /** Reads split {@code train} or {@code test} from {@code dir}, which {@link #missingIn} accepted. */
    public static Dataset read(Path dir, String split, String source) {
        String prefix = prefix(split);
        Path imagesFile = existing(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = existing(dir, prefix + "-labels-idx1-ubyte");
        IdxReader.Images images = IdxReader.readImages(imagesFile);
        if (images.rows() != LabelledImages.SIDE || images.cols() != LabelledImages.SIDE) {
            throw new DataException(imagesFile + ": images of " + images.rows() + "x" + images.cols()
                    + ", expected " + LabelledImages.SIDE + "x" + LabelledImages.SIDE);
        }
        IdxReader.Labels labels = IdxReader.readLabels(labelsFile, LabelledImages.CLASSES);
        IdxReader.requireSameCount(images, labels);
        return LabelledImages.ofBytes(NAME, split, source, images.pixels(), labels.labels());
    }

    /** The rows of split {@code train} or {@code test} in {@code dir}, from the images file's header. */
    public static int rows(Path dir, String split) {
        return IdxReader.imageCount(existing(dir, prefix(split) + "-images-idx3-ubyte"));
    }

    private static String prefix(String split) {
        return switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new IllegalArgumentException("split '" + split + "', expected train or test");
        };
    }

    private static List<String> baseNames() {
        return List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    }

    private static Optional<Path> find(Path dir, String base) {
        for (Path candidate : List.of(dir.resolve(base + ".gz"), dir.resolve(base))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path existing(Path dir, String base) {
        return find(dir, base).orElseThrow(() -> new DataException(dir + ": missing " + base + "[.gz]"));
    }
}
