package chorus.data.npm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.Dataset;
import chorus.data.fetch.NpmPack;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmMnistTest {

    private static final int[] PER_DIGIT = {3, 1, 2, 1, 1, 2, 1, 3, 4, 2};

    @TempDir
    Path dir;

    private static float firstPixel(Dataset data, int row) {
        return data.data(0).getFloat(row, 0);
    }

    @Test
    void splitsTwentyDigitsIntoSixteenTrainAndFourTest() throws IOException {
        DataFixtures.digitsDir(dir, "digits", PER_DIGIT);
        assertEquals(16, NpmMnist.read(dir, "train", "here").size());
        assertEquals(4, NpmMnist.read(dir, "test", "here").size());
    }

    @Test
    void everyImageKeepsItsDigitAsLabel() throws IOException {
        DataFixtures.digitsDir(dir, "src/digits", PER_DIGIT);
        Dataset train = NpmMnist.read(dir, "train", "here");
        int[] labels = train.labels();
        for (int i = 0; i < train.size(); i++) {
            assertEquals(labels[i], (int) (firstPixel(train, i) * 10 + 1e-4), "row " + i);
            assertEquals(1f, train.data(1).getFloat(i, labels[i]));
        }
    }

    @Test
    void splitsAreDisjointAndCoverEveryImage() throws IOException {
        DataFixtures.digitsDir(dir, "digits", PER_DIGIT);
        Set<Float> seen = new HashSet<>();
        for (String split : new String[] {"train", "test"}) {
            Dataset data = NpmMnist.read(dir, split, "here");
            for (int i = 0; i < data.size(); i++) {
                assertTrue(seen.add(firstPixel(data, i)), "image seen twice: " + firstPixel(data, i));
            }
        }
        assertEquals(20, seen.size());
    }

    @Test
    void tarballReadsLikeTheUnpackedDirectory() throws IOException {
        DataFixtures.digitsDir(dir.resolve("unpacked"), "package/src/digits", PER_DIGIT);
        DataFixtures.digitsTarball(dir.resolve("packed").resolve(NpmMnist.TARBALL), PER_DIGIT);
        Dataset unpacked = NpmMnist.read(dir.resolve("unpacked"), "train", "here");
        Dataset packed = NpmMnist.read(dir.resolve("packed"), "train", "here");
        assertArrayEquals(unpacked.labels(), packed.labels());
        assertEquals(unpacked.data(0), packed.data(0));
    }

    @Test
    void digitFileWithAPartialImageIsRejected() {
        byte[] json = "{\"data\": [0, 0.5, 1]}".getBytes(StandardCharsets.UTF_8);
        DataException e = assertThrows(DataException.class, () -> DigitJson.read(new ByteArrayInputStream(json), "3.json"));
        assertEquals("3.json: 3 values, expected a positive multiple of 784 (one 28x28 image per digit)", e.getMessage());
    }

    @Test
    void digitValueAboveOneIsRejected() {
        byte[] json = "{\"data\": [0, 1.5]}".getBytes(StandardCharsets.UTF_8);
        DataException e = assertThrows(DataException.class, () -> DigitJson.read(new ByteArrayInputStream(json), "3.json"));
        assertEquals("3.json: \"data\"[1] is 1.5, expected a value in [0, 1]", e.getMessage());
    }

    @Test
    void npmPackFetchesTheTarballAndChecksItsSha1() throws Exception {
        Path tarball = DataFixtures.digitsTarball(dir.resolve("registry").resolve(NpmMnist.TARBALL), PER_DIGIT);
        Path bin = fakeNpm(tarball);
        new NpmPack(Map.of("PATH", bin.toString()), NpmMnist.PACKAGE, NpmMnist.TARBALL,
                DataFixtures.sha("SHA-1", tarball)).fetchInto(dir.resolve("target"));
        assertEquals(16, NpmMnist.read(dir.resolve("target"), "train", "here").size());
    }

    @Test
    void npmPackWithTheWrongSha1LeavesNoTarball() throws Exception {
        Path tarball = DataFixtures.digitsTarball(dir.resolve("registry").resolve(NpmMnist.TARBALL), PER_DIGIT);
        NpmPack pack = new NpmPack(Map.of("PATH", fakeNpm(tarball).toString()), NpmMnist.PACKAGE, NpmMnist.TARBALL,
                NpmMnist.TARBALL_SHA1);
        DataException e = assertThrows(DataException.class, () -> pack.fetchInto(dir.resolve("target")));
        assertTrue(e.getMessage().contains("expected " + NpmMnist.TARBALL_SHA1), e.getMessage());
        assertEquals(Arrays.asList(), Arrays.asList(dir.resolve("target").toFile().list()));
    }

    @Test
    void npmAbsentFromThePathIsReported() {
        NpmPack pack = new NpmPack(Map.of("PATH", dir.toString()), NpmMnist.PACKAGE, NpmMnist.TARBALL, NpmMnist.TARBALL_SHA1);
        DataException e = assertThrows(DataException.class, () -> pack.fetchInto(dir.resolve("target")));
        assertTrue(e.getMessage().startsWith("npm not found on the PATH (" + dir + ")"), e.getMessage());
    }

    /** A directory holding an {@code npm} script that copies {@code tarball} to its --pack-destination. */
    private Path fakeNpm(Path tarball) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path npm = bin.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\n[ \"$1\" = pack ] && [ \"$3\" = --pack-destination ] || exit 2\n"
                + "cp '" + tarball + "' \"$4\"/\n");
        assertTrue(npm.toFile().setExecutable(true));
        return bin;
    }
}
