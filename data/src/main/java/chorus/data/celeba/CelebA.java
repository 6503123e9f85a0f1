package chorus.data.celeba;

import chorus.data.ByteCache;
import chorus.data.ByteImages;
import chorus.data.DataException;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.fetch.DatasetFiles;
import chorus.data.fetch.Fetcher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CelebA (Liu, Luo, Wang and Tang 2015, "Deep Learning Face Attributes in the Wild"), its aligned and
 * cropped images: a directory holding {@code img_align_celeba/000001.jpg ... 202599.jpg} (178x218 RGB),
 * {@code list_attr_celeba.txt} and {@code list_eval_partition.txt} (also found under {@code Anno/} and
 * {@code Eval/}, the layout of the official download). Chorus cannot download it (the files sit behind
 * a click-through licence); {@link #noDownload} says where to put them.
 *
 * <p>Splits: {@code train} is partition 0 (162,770 images), {@code test} partition 2 (19,962). The
 * validation partition 1 is not used (MVAE's reference code reports on it; Chorus reports on the official
 * test split). Of the 40 attributes MVAE keeps the 18 "visually distinctive" ones of {@link #ATTRIBUTES}
 * (Wu and Goodman 2018, reference code github.com/mhw32/multimodal-vae-public, celeba/datasets.py, after
 * Perarnau et al. 2016), in the order of the 40 columns; values -1/1 become 0/1.
 *
 * <p>Two datasets: {@code celeba}, an {@code image [3, S, S]} and {@code attributes [18]}, both Bernoulli
 * as in MVAE; and {@code celeba19} (MVAE's CelebA-19), the image and each attribute its own modality,
 * named after it in lower case ({@code smiling}, {@code wearing_hat}). An attribute modality is a
 * Bernoulli {@code [1]} of kind ATTRIBUTES: one logit scored by binary cross-entropy, which is what the
 * reference code's per-attribute loss is; a 2-class categorical would carry the same information with
 * a redundant second logit.
 *
 * <p>Images are held as UINT8 (see {@link ByteImages}) and cached decoded by {@link ByteCache}.
 */
public final class CelebA implements DatasetFiles {

    /** The dataset with the attributes as one modality. */
    public static final String NAME = "celeba";
    /** The dataset with each attribute its own modality (CelebA-19). */
    public static final String NAME_19 = "celeba19";
    /** The attribute list file. */
    public static final String ATTR_FILE = "list_attr_celeba.txt";
    /** The partition list file. */
    public static final String PARTITION_FILE = "list_eval_partition.txt";
    /** The image directory. */
    public static final String IMAGE_DIR = "img_align_celeba";
    /** The cache's directory name inside a writable dataset directory (see {@link Datasets}). */
    public static final String CACHE_DIR = "chorus-cache";
    /** Where the files come from, for messages. */
    public static final String HOME_PAGE = "https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html";
    /** MVAE's 18 attributes, in column order of {@link #ATTR_FILE}. */
    public static final List<String> ATTRIBUTES = List.of("Bald", "Bangs", "Black_Hair", "Blond_Hair", "Brown_Hair",
            "Bushy_Eyebrows", "Eyeglasses", "Gray_Hair", "Heavy_Makeup", "Male", "Mouth_Slightly_Open", "Mustache",
            "Pale_Skin", "Receding_Hairline", "Smiling", "Straight_Hair", "Wavy_Hair", "Wearing_Hat");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String expected() {
        return IMAGE_DIR + "/*.jpg, " + ATTR_FILE + " and " + PARTITION_FILE + " (from " + HOME_PAGE + ")";
    }

    @Override
    public List<String> missingIn(Path dir) {
        List<String> missing = new ArrayList<>();
        if (!Files.isDirectory(dir.resolve(IMAGE_DIR))) {
            missing.add(IMAGE_DIR + "/");
        }
        find(dir, ATTR_FILE, "Anno").ifPresentOrElse(p -> { }, () -> missing.add(ATTR_FILE));
        find(dir, PARTITION_FILE, "Eval").ifPresentOrElse(p -> { }, () -> missing.add(PARTITION_FILE));
        return missing;
    }

    @Override
    public Optional<String> debianPackage() {
        return Optional.empty();
    }

    /** The "fetcher" of CelebA: it fetches nothing and says where to put which files. */
    public Fetcher noDownload() {
        return new Fetcher() {
            @Override
            public String describe(Path dir) {
                return "no download (CelebA's licence needs a click on " + HOME_PAGE + ")";
            }

            @Override
            public void fetchInto(Path dir) {
                throw new DataException("download " + expected() + " yourself and put them in " + dir);
            }
        };
    }

    /** The modalities of {@code celeba} or {@code celeba19} with images of side {@code side}. */
    public static List<Modality> modalities(String dataset, int side) {
        Modality image = Modality.image("image", 3, side, side, LikelihoodKind.BERNOULLI);
        return switch (dataset) {
            case NAME -> List.of(image, new Modality("attributes", Modality.Kind.ATTRIBUTES,
                    new int[] {ATTRIBUTES.size()}, LikelihoodKind.BERNOULLI));
            case NAME_19 -> {
                List<Modality> all = new ArrayList<>(List.of(image));
                ATTRIBUTES.forEach(a -> all.add(new Modality(a.toLowerCase(Locale.ROOT), Modality.Kind.ATTRIBUTES,
                        new int[] {1}, LikelihoodKind.BERNOULLI)));
                yield List.copyOf(all);
            }
            default -> throw new IllegalArgumentException("dataset '" + dataset + "', expected " + NAME + " or " + NAME_19);
        };
    }

    /**
     * The rows split {@code train} or {@code test} in {@code dir} will hold: the partition list's lines of that
     * partition, at most {@code settings.limit()} (no attribute or image is read).
     */
    public static int rows(Path dir, String split, CelebASettings settings) {
        String partition = split.equals("train") ? "0" : "2";
        Path file = existing(dir, PARTITION_FILE, "Eval");
        try (var lines = Files.lines(file)) {
            long n = lines.map(String::strip).filter(l -> l.endsWith(" " + partition) || l.endsWith("\t" + partition)).count();
            return (int) (settings.limit() > 0 ? Math.min(n, settings.limit()) : n);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads split {@code train} or {@code test} of {@code dataset} ({@code celeba} or {@code celeba19}) from
     * {@code dir}, with the decoded images cached in {@code cacheDir}.
     */
    public static Dataset read(Path dir, String dataset, String split, String source, CelebASettings settings,
                               Path cacheDir) {
        int partition = switch (split) {
            case "train" -> 0;
            case "test" -> 2;
            default -> throw new IllegalArgumentException("split '" + split + "', expected train or test");
        };
        List<Modality> modalities = modalities(dataset, settings.imageSize());
        Path attrFile = existing(dir, ATTR_FILE, "Anno");
        Path partitionFile = existing(dir, PARTITION_FILE, "Eval");
        CelebAList list = CelebAList.read(attrFile, partitionFile);
        int[] columns = list.columns(ATTRIBUTES, attrFile);
        int[] rows = IntStream.range(0, list.files().size()).filter(i -> list.partitions()[i] == partition)
                .limit(settings.limit() > 0 ? settings.limit() : Long.MAX_VALUE).toArray();
        String where = dataset + "/" + split;
        byte[] listHash = sha256(attrFile, partitionFile);
        int side = settings.imageSize();
        ByteCache cache = new ByteCache(cacheDir.resolve("celeba-" + split + "-" + side + "px-" + rows.length + "rows-"
                + ByteCache.shortHex(listHash) + ".u8"), rows.length, 3 * side * side, listHash); // replacing JPEGs without touching the lists is not detected
        INDArray images = cache.read(where).orElseGet(() -> {
            INDArray decoded = CelebAImages.decode(dir.resolve(IMAGE_DIR),
                    IntStream.of(rows).mapToObj(list.files()::get).toList(),
                    IntStream.of(rows).map(i -> list.lines()[i]).toArray(), attrFile, settings.imageSize(), where);
            cache.write(decoded);
            return decoded;
        });
        float[] attributes = new float[rows.length * columns.length];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < columns.length; k++) {
                attributes[i * columns.length + k] = list.values()[rows[i]][columns[k]];
            }
        }
        INDArray attrs = Nd4j.create(attributes, new long[] {rows.length, columns.length}, DataType.FLOAT); // [N, 18]
        List<INDArray> data = new ArrayList<>(List.of(images));
        if (dataset.equals(NAME)) {
            data.add(attrs);
        } else {
            for (int k = 0; k < columns.length; k++) {
                data.add(attrs.getColumn(k, true).dup()); // [N, 1]
            }
        }
        return Dataset.fullyObserved(dataset, split, source, modalities, data, null);
    }

    private static Optional<Path> find(Path dir, String file, String sub) {
        return List.of(dir.resolve(file), dir.resolve(sub).resolve(file)).stream().filter(Files::isRegularFile).findFirst();
    }

    private static Path existing(Path dir, String file, String sub) {
        return find(dir, file, sub).orElseThrow(() -> new DataException(dir + ": missing " + file + " (or " + sub + "/"
                + file + ")"));
    }

    private static byte[] sha256(Path... files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(f), digest)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            return digest.digest();
        } catch (IOException e) {
            throw new DataException("cannot read the CelebA list files to hash them (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
