package chorus.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.idx.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AptDownload} against a .deb built here with the real {@code dpkg-deb --build} and an {@code apt-get}
 * script that "downloads" it into the working directory; the real {@code dpkg-deb -x} unpacks it.
 */
class AptDownloadTest {

    private static final String PACKAGE_DIR = FashionMnist.PACKAGE_DIR;

    @TempDir
    Path dir;

    private Path dpkgDeb;

    @BeforeEach
    void needsDpkgDeb() {
        dpkgDeb = Commands.onPath(System.getenv(), "dpkg-deb").orElse(null);
        assumeTrue(dpkgDeb != null, "dpkg-deb is not on this machine's PATH");
    }

    @Test
    void unpacksThePackagesDatasetFilesIntoTheTarget() throws Exception {
        Path deb = buildDeb(2, 1);
        Path target = dir.resolve("home/.chorus/datasets/fashion-mnist");
        fetcher(fakeApt(deb), hashes(dir.resolve("pkg/" + PACKAGE_DIR))).fetchInto(target);
        assertEquals(2, FashionMnist.read(target, "train", "apt").size());
        assertEquals(1, FashionMnist.read(target, "test", "apt").size());
        try (var left = Files.list(target)) {
            assertEquals(4, left.count()); // the four files, no scratch directory
        }
    }

    @Test
    void wrongHashLeavesTheTargetEmpty() throws Exception {
        Path deb = buildDeb(2, 1);
        Path target = dir.resolve("target");
        DataException e = assertThrows(DataException.class,
                () -> fetcher(fakeApt(deb), FashionMnist.SHA256).fetchInto(target));
        assertTrue(e.getMessage().contains("!" + PACKAGE_DIR + "/train-images-idx3-ubyte.gz: SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected " + FashionMnist.SHA256.get("train-images-idx3-ubyte.gz")),
                e.getMessage());
        try (var left = Files.list(target)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void packageWithoutTheFilesIsNamed() throws Exception {
        Path deb = buildDeb(2, 1);
        Map<String, String> expected = new LinkedHashMap<>(hashes(dir.resolve("pkg/" + PACKAGE_DIR)));
        expected.put("extra.gz", "00");
        DataException e = assertThrows(DataException.class,
                () -> fetcher(fakeApt(deb), expected).fetchInto(dir.resolve("target")));
        assertTrue(e.getMessage().contains(": holds no " + PACKAGE_DIR + "/extra.gz, expected the files"), e.getMessage());
    }

    @Test
    void failingAptGetIsReportedWithItsLastLine() throws Exception {
        Path bin = script("apt-get", "echo 'E: Unable to locate package dataset-fashion-mnist'; exit 100");
        DataException e = assertThrows(DataException.class,
                () -> fetcher(bin, FashionMnist.SHA256).fetchInto(dir.resolve("target")));
        assertEquals("apt-get download dataset-fashion-mnist: exit code 100, expected 0"
                + " (E: Unable to locate package dataset-fashion-mnist)", e.getMessage());
    }

    @Test
    void aptGetAbsentFromThePathIsReported() {
        AptDownload apt = new AptDownload(Map.of("PATH", dir.toString()), FashionMnist.DEBIAN_PACKAGE, PACKAGE_DIR,
                FashionMnist.SHA256);
        DataException e = assertThrows(DataException.class, () -> apt.fetchInto(dir.resolve("target")));
        assertTrue(e.getMessage().startsWith("apt-get not found on the PATH (" + dir + ")"), e.getMessage());
    }

    @Test
    void dpkgDebAbsentFromThePathIsReported() throws IOException {
        Path bin = script("apt-get", "exit 0");
        AptDownload apt = new AptDownload(Map.of("PATH", bin.toString()), FashionMnist.DEBIAN_PACKAGE, PACKAGE_DIR,
                FashionMnist.SHA256);
        DataException e = assertThrows(DataException.class, () -> apt.fetchInto(dir.resolve("target")));
        assertTrue(e.getMessage().startsWith("dpkg-deb not found on the PATH (" + bin + ")"), e.getMessage());
    }

    private AptDownload fetcher(Path bin, Map<String, String> sha256) {
        String path = bin + java.io.File.pathSeparator + dpkgDeb.getParent();
        return new AptDownload(Map.of("PATH", path), FashionMnist.DEBIAN_PACKAGE, PACKAGE_DIR, sha256);
    }

    /** A package tree with fixture IDX files under {@link #PACKAGE_DIR}, built with {@code dpkg-deb --build}. */
    private Path buildDeb(int train, int test) throws Exception {
        Path tree = dir.resolve("pkg");
        DataFixtures.fashionDir(tree.resolve(PACKAGE_DIR), train, test, true);
        Files.createDirectories(tree.resolve("DEBIAN"));
        Files.writeString(tree.resolve("DEBIAN/control"), "Package: dataset-fashion-mnist\nVersion: 1.0\n"
                + "Architecture: all\nMaintainer: Chorus tests <tests@example.org>\nDescription: fixture\n");
        Path deb = dir.resolve("dataset-fashion-mnist_1.0_all.deb");
        Process p = new ProcessBuilder(dpkgDeb.toString(), "--build", tree.toString(), deb.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("build.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, Files.readString(dir.resolve("build.log")));
        return deb;
    }

    private static Map<String, String> hashes(Path packageDir) throws Exception {
        Map<String, String> sha = new LinkedHashMap<>();
        for (String name : FashionMnist.SHA256.keySet()) {
            sha.put(name, DataFixtures.sha("SHA-256", packageDir.resolve(name)));
        }
        return sha;
    }

    /** An {@code apt-get} that, asked to {@code download dataset-fashion-mnist}, copies {@code deb} into its working directory. */
    private Path fakeApt(Path deb) throws IOException {
        return script("apt-get", "[ \"$1\" = download ] && [ \"$2\" = dataset-fashion-mnist ] || exit 2\ncp '" + deb + "' .");
    }

    private Path script(String name, String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        assertTrue(file.toFile().setExecutable(true));
        return bin;
    }
}
