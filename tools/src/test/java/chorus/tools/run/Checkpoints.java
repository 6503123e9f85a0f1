package chorus.tools.run;

import chorus.data.BatchIterator;
import chorus.models.MultimodalVae;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** Checkpoints straight from a model and back, for tests (training writes them from worker snapshots). */
public final class Checkpoints {

    private Checkpoints() {
    }

    /** Copies every network's parameters and optimizer state out of {@code model}. */
    public static Checkpoint capture(MultimodalVae model, long step, BatchIterator.Cursor cursor, Config resolved) {
        List<NetworkState> states = new ArrayList<>();
        Checkpoint.forEachNetwork(model, (name, net) -> states.add(new NetworkState(name, net.params(), net.updaterState())));
        return Checkpoint.of(step, cursor, resolved, states);
    }

    /** The model of {@code cp}'s stored config, its modalities read from the configured dataset's test split, restored. */
    public static MultimodalVae model(Checkpoint cp, DataType dtype) {
        return RunSetup.load(cp.config(), "test").model(dtype, cp);
    }
}
