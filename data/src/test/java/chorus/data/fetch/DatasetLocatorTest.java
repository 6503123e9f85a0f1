package chorus.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.idx.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {

    @TempDir
    Path root;

    private final FashionMnist files = new FashionMnist();

    /** A fetcher that writes the fixture files, or fails when {@code failure} is set. */
    private record FakeFetcher(String failure) implements Fetcher {
        @Override
        public String describe(Path dir) {
            return "fake download into " + dir;
        }

        @Override
        public void fetchInto(Path dir) {
            if (failure != null) {
                throw new DataException(failure);
            }
            try {
                DataFixtures.fashionDir(dir, 2, 1, true);
            } catch (IOException e) {
                throw new DataException(e.toString());
            }
        }
    }

    private Path home() {
        return root.resolve("home");
    }

    private Path homeCopy() {
        return home().resolve(".chorus/datasets/fashion-mnist");
    }

    @Test
    void explicitPathWinsOverEveryOtherPlace() throws IOException {
        Path explicit = DataFixtures.fashionDir(root.resolve("mine"), 1, 1, true);
        DataFixtures.fashionDir(root.resolve("env/fashion-mnist"), 1, 1, true);
        DataFixtures.fashionDir(homeCopy(), 1, 1, true);
        DataFixtures.fashionDir(root.resolve("sys/fashion-mnist"), 1, 1, true);
        DatasetLocator locator = DataFixtures.locator(root.resolve("env"), home(), root.resolve("sys"));
        assertEquals(explicit, locator.locate(files, explicit.toString(), false, new FakeFetcher(null)).directory());
    }

    @Test
    void explicitPathWithoutTheFilesFailsNamingIt() throws IOException {
        Path explicit = Files.createDirectories(root.resolve("empty"));
        DataFixtures.fashionDir(root.resolve("sys/fashion-mnist"), 1, 1, true);
        DatasetLocator locator = DataFixtures.locator(null, home(), root.resolve("sys"));
        DataException e = assertThrows(DataException.class,
                () -> locator.locate(files, explicit.toString(), true, new FakeFetcher(null)));
        assertTrue(e.getMessage().startsWith(explicit + " (chorus.data.path): missing train-images-idx3-ubyte[.gz]"),
                e.getMessage());
    }

    @Test
    void environmentDirectoryComesBeforeHome() throws IOException {
        Path env = DataFixtures.fashionDir(root.resolve("env/fashion-mnist"), 1, 1, true);
        DataFixtures.fashionDir(homeCopy(), 1, 1, true);
        DatasetLocator locator = DataFixtures.locator(root.resolve("env"), home(), root.resolve("sys"));
        DatasetLocator.Located found = locator.locate(files, "", false, new FakeFetcher(null));
        assertEquals(env, found.directory());
        assertTrue(found.source().startsWith("$CHORUS_DATA/fashion-mnist"), found.source());
    }

    @Test
    void homeDirectoryServesWhenTheEnvironmentCopyIsAbsent() throws IOException {
        DataFixtures.fashionDir(homeCopy(), 1, 1, false);
        DataFixtures.fashionDir(root.resolve("sys/fashion-mnist"), 1, 1, true);
        DatasetLocator locator = DataFixtures.locator(root.resolve("env"), home(), root.resolve("sys"));
        assertEquals(homeCopy(), locator.locate(files, "", false, new FakeFetcher(null)).directory());
    }

    @Test
    void systemDirectoryServesWhenNoUserCopyExists() throws IOException {
        Path system = DataFixtures.fashionDir(root.resolve("sys/fashion-mnist"), 1, 1, true);
        DatasetLocator locator = DataFixtures.locator(null, home(), root.resolve("sys"));
        DatasetLocator.Located found = locator.locate(files, "", true, new FakeFetcher("must not run"));
        assertEquals(system, found.directory());
        assertTrue(found.source().contains("apt package dataset-fashion-mnist"), found.source());
    }

    @Test
    void fetchesIntoTheEnvironmentDirectoryWhenDownloadsAreAllowed() {
        DatasetLocator locator = DataFixtures.locator(root.resolve("env"), home(), root.resolve("sys"));
        DatasetLocator.Located found = locator.locate(files, "", true, new FakeFetcher(null));
        assertEquals(root.resolve("env/fashion-mnist"), found.directory());
        assertEquals(2, FashionMnist.read(found.directory(), "train", found.source()).size());
    }

    @Test
    void nothingFoundListsEveryOptionTried() {
        DatasetLocator locator = DataFixtures.locator(null, home(), root.resolve("sys"));
        DataException e = assertThrows(DataException.class,
                () -> locator.locate(files, "", false, new FakeFetcher(null)));
        String m = e.getMessage();
        for (String option : new String[] {"chorus.data.path (not set)", "$CHORUS_DATA not set",
                homeCopy() + " (no such directory)", root.resolve("sys/fashion-mnist").toString(),
                "apt-get install dataset-fashion-mnist", "fake download into " + homeCopy(), "downloads disabled"}) {
            assertTrue(m.contains(option), "'" + option + "' missing from: " + m);
        }
        assertEquals(1, m.lines().count());
    }

    @Test
    void fetchFailureIsReportedWithTheOtherOptions() {
        DatasetLocator locator = DataFixtures.locator(null, home(), root.resolve("sys"));
        DataException e = assertThrows(DataException.class,
                () -> locator.locate(files, "", true, new FakeFetcher("connect timed out")));
        assertTrue(e.getMessage().contains("(failed: connect timed out)"), e.getMessage());
        assertTrue(e.getMessage().contains("chorus.data.path (not set)"), e.getMessage());
    }

    @Test
    void laterFetcherServesWhenTheFirstFails() {
        DatasetLocator locator = DataFixtures.locator(null, home(), root.resolve("sys"));
        DatasetLocator.Located found = locator.locate(files, "", true,
                java.util.List.of(new FakeFetcher("host unreachable"), new FakeFetcher(null)));
        assertEquals(homeCopy(), found.directory());
        assertEquals(2, FashionMnist.read(found.directory(), "train", found.source()).size());
    }

    @Test
    void everyFetcherFailingIsListedOnOneLine() {
        DatasetLocator locator = DataFixtures.locator(null, home(), root.resolve("sys"));
        java.util.List<Fetcher> fetchers = FashionMnist.fetchers(java.util.Map.of("PATH", root.toString()));
        DataException e = assertThrows(DataException.class, () -> locator.locate(files, "", false, fetchers));
        String m = e.getMessage();
        for (String option : new String[] {"apt-get install dataset-fashion-mnist", FashionMnist.BASE_URL,
                "apt-get download dataset-fashion-mnist and dpkg-deb -x into " + homeCopy()}) {
            assertTrue(m.contains(option), "'" + option + "' missing from: " + m);
        }
        assertEquals(1, m.lines().count());
    }
}
