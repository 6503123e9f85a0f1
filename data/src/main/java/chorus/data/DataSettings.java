package chorus.data;

import chorus.data.celeba.CelebASettings;
import chorus.data.config.Settings;
import chorus.data.generated.MultiMnistSettings;
import chorus.data.generated.PolyMnistSettings;
import chorus.data.svhn.MnistSvhnSettings;
import chorus.data.transform.VisionTransforms;
import com.typesafe.config.Config;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code chorus.data} settings, read and range-checked once.
 *
 * @param dataset   one of {@link Datasets#KNOWN} (checked by {@link Datasets})
 * @param path      directory holding the files, or "" to search the default places
 * @param download  whether files found nowhere locally may be fetched
 * @param batchSize rows per minibatch, in [1, 100000]
 * @param seed      seed of the shuffle and of the missing-modality draws
 * @param missing   modality name to the fraction of rows, in [0, 1), that lack it
 * @param celeba    image size and row limit of {@code celeba} and {@code celeba19}
 * @param multimnist digits, rows and seed of the generated {@code multimnist}
 * @param polymnist modalities, texture size and seed of {@code polymnist}
 * @param mnistSvhn pairing of {@code mnist-svhn}
 * @param transforms {@link VisionTransforms} whose results join the dataset as modalities, checked
 */
public record DataSettings(String dataset, String path, boolean download, int batchSize, long seed,
                           Map<String, Double> missing, CelebASettings celeba, MultiMnistSettings multimnist,
                           PolyMnistSettings polymnist, MnistSvhnSettings mnistSvhn, List<String> transforms) {

    /** Largest batch size accepted. */
    public static final int MAX_BATCH_SIZE = 100_000;

    public DataSettings {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(path, "path");
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size " + batchSize + ", expected [1, " + MAX_BATCH_SIZE + "]");
        }
        missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
        Objects.requireNonNull(celeba, "celeba settings");
        Objects.requireNonNull(multimnist, "multimnist settings");
        Objects.requireNonNull(polymnist, "polymnist settings");
        Objects.requireNonNull(mnistSvhn, "mnist-svhn settings");
        transforms = List.copyOf(transforms);
        VisionTransforms.check(transforms);
    }

    /** Settings with the default MultiMNIST, PolyMNIST and MNIST-SVHN settings and no transforms. */
    public DataSettings(String dataset, String path, boolean download, int batchSize, long seed,
                        Map<String, Double> missing, CelebASettings celeba) {
        this(dataset, path, download, batchSize, seed, missing, celeba, MultiMnistSettings.DEFAULT,
                PolyMnistSettings.DEFAULT, MnistSvhnSettings.DEFAULT, List.of());
    }

    /** Settings with the default CelebA settings ({@link CelebASettings#DEFAULT}). */
    public DataSettings(String dataset, String path, boolean download, int batchSize, long seed,
                        Map<String, Double> missing) {
        this(dataset, path, download, batchSize, seed, missing, CelebASettings.DEFAULT);
    }

    /** Reads {@code chorus.data.*} from the resolved configuration {@code root}. */
    public static DataSettings from(Config root) {
        return new DataSettings(
                Settings.string(root, "chorus.data.dataset"),
                Settings.string(root, "chorus.data.path"),
                Settings.bool(root, "chorus.data.download"),
                Settings.intIn(root, "chorus.data.batch-size", 1, MAX_BATCH_SIZE),
                Settings.longValue(root, "chorus.data.seed"),
                Settings.fractionMap(root, "chorus.data.missing"),
                CelebASettings.from(root),
                MultiMnistSettings.from(root),
                PolyMnistSettings.from(root),
                MnistSvhnSettings.from(root),
                root.hasPath(VisionTransforms.KEY) ? Settings.stringList(root, VisionTransforms.KEY) : List.of());
    }
}
