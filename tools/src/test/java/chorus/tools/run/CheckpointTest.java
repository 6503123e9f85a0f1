package chorus.tools.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.nn.Network;
import chorus.models.objective.Objective;
import chorus.tools.TinyRun;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class CheckpointTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static Config config;
    private static TinyRun.Trained trained;

    @BeforeAll
    static void trainThreeSteps() {
        config = TinyRun.config(TinyRun.fashionMnist(shared.resolve("fashion-mnist")));
        trained = TinyRun.train(config, 3);
    }

    private Path written() {
        Path file = dir.resolve("step-3.ckpt");
        Checkpoints.capture(trained.model(), 3, trained.cursor(), config).write(file);
        return file;
    }

    @Test
    void aCheckpointWrittenBeforeAKeyExistedReadsItsDefault() {
        Config older = config.withoutPath("chorus.model.private-latent").withoutPath("chorus.model.concat-hidden");
        Path file = dir.resolve("older.ckpt");
        Checkpoints.capture(trained.model(), 3, trained.cursor(), older).write(file);
        Checkpoint read = Checkpoint.read(file);
        assertEquals(0, read.config().getInt("chorus.model.private-latent"));
        assertEquals(trained.model().encoders().get(0).params(), Checkpoints.model(read, DataType.FLOAT).encoders().get(0).params());
    }

    @Test
    void roundTripKeepsStepCursorConfigAndEveryNetworkBitForBit() {
        Checkpoint read = Checkpoint.read(written());
        assertEquals(3, read.step());
        assertEquals(trained.cursor(), read.cursor());
        assertEquals(config.getConfig("chorus").root().unwrapped(), read.config().getConfig("chorus").root().unwrapped());
        assertEquals(List.of("encoder/image", "encoder/label", "decoder/image", "decoder/label"),
                read.networks().stream().map(NetworkState::name).toList());
        MultimodalVae m = trained.model();
        for (int j = 0; j < 2; j++) {
            assertBitEqual(m.encoders().get(j), read.networks().get(j));
            assertBitEqual(m.decoders().get(j), read.networks().get(2 + j));
        }
        assertEquals(read.provenance().keySet(), chorus.tools.run.Provenance.all().keySet());
    }

    @Test
    void aRestoredModelTrainsOnExactlyLikeTheOriginal() {
        Checkpoint read = Checkpoint.read(written());
        Dataset train = Datasets.load(DataSettings.from(config), "train");
        ModelSettings otherSeed = ModelSettings.from(TinyRun.config(shared.resolve("fashion-mnist"), "chorus.model.seed=99"),
                train.modalities());
        MultimodalVae restored = ModelFactory.build(otherSeed, train.modalities(), DataType.FLOAT);
        read.restoreInto(restored);
        MultimodalVae original = trained.model().copy();
        Objective objective = ModelFactory.objective(ModelSettings.from(config, train.modalities()), train.modalities());
        BatchIterator it = new BatchIterator(train, 20, DataSettings.from(config).seed(), true, read.cursor());
        for (int step = 3; step < 5; step++) {
            Batch b = it.next();
            ReferenceModel.train(original, objective, b, 1.0, step, 0);
            ReferenceModel.train(restored, objective, b, 1.0, step, 0);
        }
        for (int j = 0; j < 2; j++) {
            assertArrayEquals(original.encoders().get(j).params().toFloatVector(), restored.encoders().get(j).params().toFloatVector());
            assertArrayEquals(original.decoders().get(j).params().toFloatVector(), restored.decoders().get(j).params().toFloatVector());
        }
    }

    @Test
    void modelRebuildsFromTheStoredConfigAndTheDataset() {
        MultimodalVae rebuilt = Checkpoints.model(Checkpoint.read(written()), DataType.FLOAT);
        assertArrayEquals(trained.model().encoders().get(0).params().toFloatVector(), rebuilt.encoders().get(0).params().toFloatVector());
    }

    @Test
    void aTruncatedFileSaysSo() throws IOException {
        Path file = written();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        assertOneLine("checkpoint " + file + ": truncated or corrupt (", file);
    }

    @Test
    void aDamagedEntryFailsItsChecksum() throws IOException {
        Path file = written();
        byte[] all = Files.readAllBytes(file);
        all[all.length / 3] ^= 0x10; // inside the stored parameters of the image encoder, the largest entry
        Files.write(file, all);
        assertOneLine("checkpoint " + file + ": corrupt (entry networks/", file);
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("nope.ckpt");
        assertOneLine("checkpoint " + file + ": no such file", file);
    }

    @Test
    void otherFilesAreNotCheckpoints() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertOneLine("checkpoint " + text + ": not a Chorus checkpoint (not a zip archive)", text);
        Path zip = zip(dir.resolve("other.zip"), "readme.txt", "hello");
        assertOneLine("checkpoint " + zip + ": not a Chorus checkpoint (no checkpoint.properties entry)", zip);
    }

    @Test
    void anUnsupportedVersionIsNamed() throws IOException {
        Path file = zip(dir.resolve("future.ckpt"), "checkpoint.properties", "format=chorus-checkpoint\nversion=99\n");
        assertOneLine("checkpoint " + file + ": format version 99, this Chorus reads version 1", file);
    }

    @Test
    void aCheckpointOfAnotherModelNamesTheNetworkAndBothCounts() {
        Path file = written();
        Config wider = TinyRun.config(shared.resolve("fashion-mnist"), "chorus.model.modalities.image.hidden=[40]");
        Dataset test = Datasets.load(DataSettings.from(wider), "test");
        MultimodalVae other = ModelFactory.build(ModelSettings.from(wider, test.modalities()), test.modalities(), DataType.FLOAT);
        float[] before = other.decoders().get(1).params().toFloatVector();
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file).restoreInto(other));
        long found = trained.model().encoders().get(0).numParams();
        assertEquals("checkpoint " + file + " was written for a different model: encoder/image has " + found
                + " parameters, this config builds " + other.encoders().get(0).numParams(), e.getMessage());
        assertArrayEquals(before, other.decoders().get(1).params().toFloatVector()); // nothing was restored
    }

    @Test
    void theCheckpointGetsTheUsualFilePermissionsNotATempFilesOwnerOnlyOnes() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written()));
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointIntact() throws IOException {
        Path file = written();
        byte[] before = Files.readAllBytes(file);
        Checkpoint next = Checkpoints.capture(TinyRun.train(config, 1).model(), 1, BatchIterator.Cursor.START, config);
        var e = assertThrows(CheckpointException.class, () -> next.write(file, out -> failingAfter(out, 5000)));
        assertTrue(e.getMessage().startsWith("checkpoint " + file + ": cannot write (disk full"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList()); // and no temporary file is left behind
        }
    }

    private static void assertBitEqual(Network net, NetworkState state) {
        assertArrayEquals(net.params().toFloatVector(), state.params().toFloatVector(), state.name());
        assertArrayEquals(net.updaterState().toFloatVector(), state.updaterState().toFloatVector(), state.name());
        assertFalse(net.updaterState().sumNumber().doubleValue() == 0, "Adam has moved after three steps");
    }

    private static void assertOneLine(String prefix, Path file) {
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static Path zip(Path file, String entry, String text) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return file;
    }

    private static OutputStream failingAfter(OutputStream out, int limit) {
        return new java.io.FilterOutputStream(out) {
            private int written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > limit) {
                    throw new IOException("disk full (simulated)");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }
}
