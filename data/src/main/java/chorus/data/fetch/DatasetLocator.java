package chorus.data.fetch;

import chorus.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the directory a dataset is read from, trying in order:
 * <ol>
 *   <li>the directory given explicitly ({@code chorus.data.path}); if given it must hold the files,
 *       and a failure names it rather than falling through to other places;</li>
 *   <li>{@code $CHORUS_DATA/<name>}, then {@code ~/.chorus/datasets/<name>};</li>
 *   <li>{@code /usr/share/datasets/<name>}, where the dataset's Debian package installs it;</li>
 *   <li>when downloads are allowed, the dataset's {@link Fetcher}s in turn (e.g. Fashion-MNIST's own address,
 *       then its Debian package through {@link AptDownload}) into {@code $CHORUS_DATA/<name>} (or
 *       {@code ~/.chorus/datasets/<name>} when the variable is unset), each result checked like any other copy;</li>
 *   <li>otherwise a {@link DataException} listing every place tried and why it did not serve.</li>
 * </ol>
 * The environment, home and system directory are injected so the order can be tested.
 */
public final class DatasetLocator {

    /** The environment variable naming a directory of datasets. */
    public static final String ENV = "CHORUS_DATA";
    /** The config key of the explicit directory, for messages. */
    public static final String PATH_KEY = "chorus.data.path";

    /** Where a dataset was found: the directory and a one-line account of it for the CLI. */
    public record Located(Path directory, String source) {
    }

    private record Place(String label, Path dir) {
    }

    private final Map<String, String> env;
    private final Path home;
    private final Path systemRoot;

    /** A locator over {@code env}, the user's {@code home} and the system datasets root (normally /usr/share/datasets). */
    public DatasetLocator(Map<String, String> env, Path home, Path systemRoot) {
        this.env = Map.copyOf(env);
        this.home = Objects.requireNonNull(home, "home directory");
        this.systemRoot = Objects.requireNonNull(systemRoot, "system datasets directory");
    }

    /** The locator of this process: its environment, {@code user.home} and {@code /usr/share/datasets}. */
    public static DatasetLocator ofSystem() {
        return new DatasetLocator(System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of("/usr/share/datasets"));
    }

    /** Where readers keep derived files, such as decoded images: {@code ~/.chorus/cache}. */
    public Path cacheDirectory() {
        return home.resolve(".chorus").resolve("cache");
    }

    /** The process environment this locator sees (for fetchers that look up the PATH). */
    public Map<String, String> environment() {
        return env;
    }

    /** {@link #locate(DatasetFiles, String, boolean, List)} with one fetcher. */
    public Located locate(DatasetFiles files, String explicitPath, boolean download, Fetcher fetcher) {
        return locate(files, explicitPath, download, List.of(fetcher));
    }

    /**
     * Finds {@code files}: {@code explicitPath} first when non-empty, then the default places, then each of
     * {@code fetchers} in order when {@code download} is true; the error lists every place and fetcher tried.
     */
    public Located locate(DatasetFiles files, String explicitPath, boolean download, List<Fetcher> fetchers) {
        if (explicitPath != null && !explicitPath.isBlank()) {
            return explicit(files, expandHome(explicitPath.strip()));
        }
        List<String> tried = new ArrayList<>();
        tried.add(PATH_KEY + " (not set)");
        Optional<Path> envDir = envDirectory(files);
        if (envDir.isEmpty()) {
            tried.add("$" + ENV + "/" + files.name() + " ($" + ENV + " not set)");
        }
        List<Place> userPlaces = new ArrayList<>();
        envDir.ifPresent(dir -> userPlaces.add(new Place("$" + ENV + "/" + files.name() + " = " + dir, dir)));
        Path homeDir = home.resolve(".chorus").resolve("datasets").resolve(files.name());
        userPlaces.add(new Place(homeDir.toString(), homeDir));
        for (Place place : userPlaces) {
            Optional<String> why = why(files, place.dir());
            if (why.isEmpty()) {
                return new Located(place.dir(), place.label());
            }
            tried.add(place.label() + " (" + why.get() + ")");
        }
        Optional<String> debian = files.debianPackage();
        if (debian.isPresent()) {
            Path dir = systemRoot.resolve(files.name());
            Optional<String> why = why(files, dir);
            if (why.isEmpty()) {
                return new Located(dir, dir + " (apt package " + debian.get() + ")");
            }
            tried.add(dir + " (" + why.get() + "; install with: apt-get install " + debian.get() + ")");
        }
        Path target = userPlaces.get(0).dir();
        for (Fetcher fetcher : fetchers) {
            if (!download) {
                tried.add(fetcher.describe(target) + " (downloads disabled: set chorus.data.download = true)");
                continue;
            }
            Optional<Located> fetched = fetch(files, fetcher, target, tried);
            if (fetched.isPresent()) {
                return fetched.get();
            }
        }
        throw new DataException(files.name() + ": not found, expected " + files.expected() + "; tried "
                + String.join("; ", tried));
    }

    private Optional<Located> fetch(DatasetFiles files, Fetcher fetcher, Path target, List<String> tried) {
        try {
            fetcher.fetchInto(target);
        } catch (DataException e) {
            tried.add(fetcher.describe(target) + " (failed: " + e.getMessage() + ")");
            return Optional.empty();
        }
        Optional<String> why = why(files, target);
        if (why.isPresent()) {
            tried.add(fetcher.describe(target) + " (fetched into " + target + " but " + why.get() + ")");
            return Optional.empty();
        }
        return Optional.of(new Located(target, target + " (fetched: " + fetcher.describe(target) + ")"));
    }

    private Located explicit(DatasetFiles files, Path dir) {
        Optional<String> why = why(files, dir);
        if (why.isPresent()) {
            throw new DataException(dir + " (" + PATH_KEY + "): " + why.get() + ", expected a directory holding "
                    + files.expected() + " for " + files.name());
        }
        return new Located(dir, dir + " (" + PATH_KEY + ")");
    }

    private Optional<String> why(DatasetFiles files, Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.of(Files.exists(dir) ? "not a directory" : "no such directory");
        }
        List<String> missing = files.missingIn(dir);
        return missing.isEmpty() ? Optional.empty() : Optional.of("missing " + String.join(", ", missing));
    }

    private Optional<Path> envDirectory(DatasetFiles files) {
        String root = env.get(ENV);
        return root == null || root.isBlank() ? Optional.empty() : Optional.of(expandHome(root.strip()).resolve(files.name()));
    }

    private Path expandHome(String path) {
        return path.equals("~") ? home : path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }
}
