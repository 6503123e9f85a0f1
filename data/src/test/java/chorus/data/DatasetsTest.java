package chorus.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path root;

    private Datasets datasets() {
        return new Datasets(DataFixtures.locator(null, root.resolve("home"), root.resolve("sys")));
    }

    private static DataSettings settings(String dataset, Path path, Map<String, Double> missing) {
        return new DataSettings(dataset, path.toString(), false, 10, 3, missing);
    }

    @Test
    void unknownDatasetListsTheKnownOnes() {
        DataException e = assertThrows(DataException.class,
                () -> datasets().open(settings("cifar", root, Map.of()), "train"));
        assertEquals("chorus.data.dataset = 'cifar': unknown dataset, expected one of fashion-mnist, mnist, multimnist, celeba, celeba19, twoviews, polymnist, mnist-svhn", e.getMessage());
    }

    @Test
    void bothSplitsLoseTheSameFractionWithDifferentDraws() throws IOException {
        Path dir = DataFixtures.fashionDir(root.resolve("fm"), 40, 40, true);
        DataSettings settings = settings("fashion-mnist", dir, Map.of("label", 0.5));
        Dataset train = datasets().open(settings, "train");
        Dataset test = datasets().open(settings, "test");
        assertEquals(Map.of("image", 0L, "label", 20L), MissingModalities.countMissing(train));
        assertEquals(Map.of("image", 0L, "label", 20L), MissingModalities.countMissing(test));
        assertNotEquals(train.presence(), test.presence());
    }

    @Test
    void mnistIsReadFromTheExplicitPath() throws IOException {
        Path dir = DataFixtures.digitsDir(root.resolve("mnist"), "package/src/digits", new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
        Dataset test = datasets().open(settings("mnist", dir, Map.of()), "test");
        assertEquals(2, test.size());
        assertEquals(dir + " (chorus.data.path)", test.source());
    }
}
