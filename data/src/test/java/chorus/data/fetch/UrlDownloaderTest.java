package chorus.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlDownloaderTest {

    @TempDir
    Path root;

    @Test
    void downloadsEachFileWhoseHashMatches() throws Exception {
        Path served = DataFixtures.write(root.resolve("served/labels.gz"), DataFixtures.idxLabels(4, 4), true);
        UrlDownloader downloader = new UrlDownloader(served.getParent().toUri().toString(),
                Map.of("labels.gz", DataFixtures.sha("SHA-256", served)));
        downloader.fetchInto(root.resolve("target"));
        assertArrayEquals(Files.readAllBytes(served), Files.readAllBytes(root.resolve("target/labels.gz")));
    }

    @Test
    void hashMismatchFailsAndLeavesNoFileBehind() throws Exception {
        Path served = DataFixtures.write(root.resolve("served/labels.gz"), DataFixtures.idxLabels(4, 4), true);
        String wrong = "00".repeat(32);
        UrlDownloader downloader = new UrlDownloader(served.getParent().toUri().toString(), Map.of("labels.gz", wrong));
        DataException e = assertThrows(DataException.class, () -> downloader.fetchInto(root.resolve("target")));
        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        try (Stream<Path> left = Files.list(root.resolve("target"))) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void unreachableAddressFailsNamingTheUrl() {
        UrlDownloader downloader = new UrlDownloader("http://127.0.0.1:1/", Map.of("x.gz", "00"));
        DataException e = assertThrows(DataException.class, () -> downloader.fetchInto(root.resolve("target")));
        assertTrue(e.getMessage().startsWith("http://127.0.0.1:1/x.gz: "), e.getMessage());
    }
}
