package chorus.data.celeba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image cache and every malformed-file case of the CelebA reader. */
class CelebAFilesTest {

    @TempDir
    Path root;

    private Path dir() {
        Path dir = root.resolve("celeba");
        if (!Files.exists(dir)) {
            CelebAFixtures.write(dir, 12);
        }
        return dir;
    }

    private Dataset read() {
        return CelebA.read(dir(), CelebA.NAME, "train", "here", new CelebASettings(8, 0), root.resolve("cache"));
    }

    private Path cacheFile() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("cache"))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /** The one-line message of the error reading the fixture after {@code change} was made to its files. */
    private String failure(Runnable change) {
        dir();
        change.run();
        String m = assertThrows(DataException.class, this::read).getMessage();
        assertFalse(m.contains("\n"), m);
        return m;
    }

    private Path attrFile() {
        return dir().resolve(CelebA.ATTR_FILE);
    }

    /** Replaces line {@code line} (1-based) of the attribute file. */
    private void replaceLine(int line, String text) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(attrFile()));
            lines.set(line - 1, text);
            Files.write(attrFile(), lines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aSecondLoadReadsTheCacheWithoutTheImages() throws IOException {
        Dataset fresh = read();
        deleteImages();
        Dataset cached = read();
        assertEquals(fresh.data(0), cached.data(0));
        assertTrue(cacheFile().getFileName().toString().startsWith("celeba-train-8px-6rows-"), cacheFile().toString());
    }

    @Test
    void aCorruptCacheIsRebuiltFromTheJpegs() throws IOException {
        Dataset fresh = read();
        Path cache = cacheFile();
        byte[] bytes = Files.readAllBytes(cache);
        bytes[bytes.length - 5] ^= 0x40;
        Files.write(cache, bytes);
        assertEquals(fresh.data(0), read().data(0));
        assertNotEquals(bytes[bytes.length - 5], Files.readAllBytes(cache)[bytes.length - 5]);
    }

    @Test
    void aTruncatedCacheIsRebuilt() throws IOException {
        Dataset fresh = read();
        Path cache = cacheFile();
        byte[] bytes = Files.readAllBytes(cache);
        Files.write(cache, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals(fresh.data(0), read().data(0));
        assertEquals(bytes.length, Files.size(cache));
    }

    @Test
    void changedListsUseAnotherCacheFile() throws IOException {
        read();
        Path before = cacheFile();
        replaceLine(3, CelebAFixtures.attributeLine(0).replaceFirst(" -1", "  1"));
        read();
        try (Stream<Path> files = Files.list(root.resolve("cache"))) {
            assertEquals(1, files.filter(f -> !f.equals(before)).count()); // a new file beside the old one
        }
    }

    @Test
    void aMissingListFileIsNamed() {
        Path dir = dir();
        String m = failure(() -> delete(dir.resolve(CelebA.PARTITION_FILE)));
        assertTrue(m.contains(dir + ": missing list_eval_partition.txt"), m);
    }

    @Test
    void aWrongCountNamesLineOne() {
        String m = failure(() -> replaceLine(1, "13"));
        assertEquals(attrFile() + ": line 1 says 13 images, the file lists 12", m);
    }

    @Test
    void thirtyNineNamesAreAnError() {
        String m = failure(() -> replaceLine(2, String.join(" ", CelebAFixtures.NAMES.subList(0, 39))));
        assertEquals(attrFile() + ": line 2: 39 attribute names, expected 40", m);
    }

    @Test
    void aValueOfTwoNamesTheLineAndAttribute() {
        String m = failure(() -> replaceLine(7, CelebAFixtures.attributeLine(4).replaceFirst("^(\\S+)\\s+\\S+", "$1 2")));
        assertEquals(attrFile() + ": line 7: 5_o_Clock_Shadow = '2', expected 1 or -1", m);
    }

    @Test
    void anImageListedButAbsentIsNamed() {
        Path image = dir().resolve(CelebA.IMAGE_DIR).resolve("000005.jpg");
        String m = failure(() -> delete(image));
        assertEquals(image + ": no such image, listed in " + attrFile() + " line 7", m);
    }

    @Test
    void aTruncatedJpegIsNamed() {
        Path image = dir().resolve(CelebA.IMAGE_DIR).resolve("000002.jpg");
        String m = failure(() -> truncate(image));
        assertTrue(m.startsWith(image + ": "), m);
        assertTrue(m.endsWith("listed in " + attrFile() + " line 4"), m);
    }

    @Test
    void partitionListNamingOtherFilesIsAnError() {
        Path partitions = dir().resolve(CelebA.PARTITION_FILE);
        String m = failure(() -> CelebAFixtures.lines(partitions, List.of("000001.jpg 0", "000003.jpg 0")));
        assertEquals(partitions + ": line 2: 000003.jpg, but list_attr_celeba.txt line 4 names 000002.jpg", m);
    }

    @Test
    void notFoundSaysWhereToPutWhichFiles() {
        Datasets datasets = new Datasets(DataFixtures.locator(null, root.resolve("home"), root.resolve("sys")));
        DataSettings settings = new DataSettings(CelebA.NAME_19, "", true, 10, 1, Map.of());
        String m = assertThrows(DataException.class, () -> datasets.open(settings, "train")).getMessage();
        assertTrue(m.contains("download img_align_celeba/*.jpg, list_attr_celeba.txt and list_eval_partition.txt (from "
                + CelebA.HOME_PAGE + ") yourself and put them in " + root.resolve("home/.chorus/datasets/celeba")), m);
    }

    private void deleteImages() throws IOException {
        try (Stream<Path> files = Files.list(dir().resolve(CelebA.IMAGE_DIR))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void truncate(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
