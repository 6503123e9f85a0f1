package chorus.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chorus.data.BatchIterator;
import chorus.models.MultimodalVae;
import chorus.tools.TinyRun;
import com.typesafe.config.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class RunSetupTest {

    @TempDir
    static Path shared;

    private static Config config;

    @BeforeAll
    static void data() {
        config = TinyRun.config(TinyRun.fashionMnist(shared.resolve("fashion-mnist")));
    }

    @Test
    void withoutDataReadsTheSameModalitiesAsTheLoadedSplits() {
        RunSetup loaded = RunSetup.load(config, "train", "test");
        assertEquals(loaded.split("test").modalities(), loaded.modalities());
        assertEquals(loaded.modalities(), RunSetup.withoutData(config).modalities());
        assertEquals(TinyRun.TEST_ROWS, loaded.split("test").size());
    }

    @Test
    void aModelFromACheckpointHasItsParametersNotFreshOnes() {
        MultimodalVae trained = TinyRun.train(config, 2).model();
        Checkpoint cp = Checkpoints.capture(trained, 2, BatchIterator.Cursor.START, config);
        RunSetup setup = RunSetup.load(config, "test");
        MultimodalVae restored = setup.model(DataType.FLOAT, cp);
        assertEquals(trained.encoders().get(0).params(), restored.encoders().get(0).params());
        assertNotEquals(setup.model(DataType.FLOAT).encoders().get(0).params(), restored.encoders().get(0).params());
    }

    @Test
    void aSplitThatWasNotLoadedIsAnError() {
        RunSetup setup = RunSetup.load(config, "test");
        assertThrows(IllegalStateException.class, () -> setup.split("train"));
    }
}
