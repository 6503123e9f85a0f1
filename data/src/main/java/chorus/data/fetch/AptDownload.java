package chorus.data.fetch;

import chorus.data.DataException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches a dataset from its Debian package without root: {@code apt-get download <package>} in a scratch
 * directory (a plain user may download a .deb; only installing needs root), then {@code dpkg-deb -x} of that
 * file, and the dataset's files moved from the package's {@code packageDir} into the target directory, each
 * checked against its SHA-256 first. {@code apt-get} and {@code dpkg-deb} are looked up on the PATH of an
 * injected environment. Files already in the target are kept; the scratch directory, beside the files so
 * the moves stay on one file system, is always removed.
 */
public final class AptDownload implements Fetcher {

    /** Seconds {@code apt-get download} and {@code dpkg-deb -x} may each take before being killed. */
    public static final int TIMEOUT_SECONDS = 300;

    private final Map<String, String> env;
    private final String debianPackage;
    private final String packageDir;
    private final Map<String, String> sha256ByFile;

    /**
     * Downloads {@code debianPackage}, whose files {@code sha256ByFile} (name to hex SHA-256) sit under
     * {@code packageDir} (e.g. {@code usr/share/datasets/fashion-mnist}) in the package.
     */
    public AptDownload(Map<String, String> env, String debianPackage, String packageDir, Map<String, String> sha256ByFile) {
        this.env = Map.copyOf(env);
        this.debianPackage = debianPackage;
        this.packageDir = packageDir;
        this.sha256ByFile = new LinkedHashMap<>(sha256ByFile);
    }

    @Override
    public String describe(Path dir) {
        return "apt-get download " + debianPackage + " and dpkg-deb -x into " + dir;
    }

    @Override
    public void fetchInto(Path dir) {
        String remedy = "needed to fetch " + debianPackage + " without root (Debian and Ubuntu have it)";
        Path apt = Commands.require(env, "apt-get", remedy);
        Path dpkgDeb = Commands.require(env, "dpkg-deb", remedy);
        Path scratch = null;
        try {
            Files.createDirectories(dir);
            scratch = Files.createTempDirectory(dir, ".apt-download-");
            Commands.run(List.of(apt.toString(), "download", debianPackage), scratch, "apt.log", TIMEOUT_SECONDS,
                    "apt-get download " + debianPackage);
            Path deb = onlyDeb(scratch);
            Path root = scratch.resolve("root");
            Commands.run(List.of(dpkgDeb.toString(), "-x", deb.toString(), root.toString()), scratch, "dpkg.log",
                    TIMEOUT_SECONDS, "dpkg-deb -x " + deb.getFileName());
            moveChecked(deb, root.resolve(packageDir), dir);
        } catch (IOException e) {
            throw new DataException(describe(dir) + ": " + e, e);
        } finally {
            Commands.deleteTree(scratch);
        }
    }

    private Path onlyDeb(Path scratch) throws IOException {
        List<Path> debs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(scratch, "*.deb")) {
            files.forEach(debs::add);
        }
        if (debs.size() != 1) {
            throw new DataException("apt-get download " + debianPackage + ": wrote " + debs.size()
                    + " .deb files, expected 1 (" + Commands.lastLine(scratch.resolve("apt.log")) + ")");
        }
        return debs.get(0);
    }

    /** Checks every file's hash before moving any, so a wrong package leaves the target as it was. */
    private void moveChecked(Path deb, Path from, Path dir) throws IOException {
        for (Map.Entry<String, String> file : sha256ByFile.entrySet()) {
            Path source = from.resolve(file.getKey());
            if (!Files.isRegularFile(source)) {
                throw new DataException(deb.getFileName() + ": holds no " + packageDir + "/" + file.getKey()
                        + ", expected the files " + String.join(", ", sha256ByFile.keySet()) + " there");
            }
            String found = Commands.hash(source, "SHA-256");
            if (!found.equalsIgnoreCase(file.getValue())) {
                throw new DataException(deb.getFileName() + "!" + packageDir + "/" + file.getKey() + ": SHA-256 "
                        + found + ", expected " + file.getValue());
            }
        }
        for (String name : sha256ByFile.keySet()) {
            Path target = dir.resolve(name);
            if (!Files.exists(target)) {
                Files.move(from.resolve(name), target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }
}
