package chorus.tools;

import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.PosteriorRule;
import chorus.tools.run.Checkpoint;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A checkpoint opened for the evaluation commands: its stored config with the command line's
 * {@code -Dchorus.data.*} overrides (to find the data elsewhere; the model is fixed by the checkpoint), the
 * dataset's test split, the model settings and the restored model.
 */
record OpenedCheckpoint(Path file, Checkpoint checkpoint, Config config, Dataset test, ModelSettings settings,
                        MultimodalVae model) {

    /** Reads {@code file}, loads the test split it names and restores the model, in float. */
    static OpenedCheckpoint open(Path file, Map<String, String> overrides) {
        Checkpoint cp = Checkpoint.read(file);
        Config config = StoredConfig.override(cp.config(), overrides, ChorusConfig.ROOT + ".data.",
                "a checkpoint fixes its model and run settings; only chorus.data.* may be overridden");
        Dataset test = Datasets.load(DataSettings.from(config), "test");
        MultimodalVae model = cp.model(DataType.FLOAT, test.modalities());
        return new OpenedCheckpoint(file, cp, config, test, ModelSettings.from(config, test.modalities()), model);
    }

    /** How this model combines experts. */
    PosteriorRule rule() {
        return PosteriorRule.of(settings);
    }

    /** One line for the command's header: file, step, model. */
    String describe() {
        return file + " (step " + checkpoint.step() + ", " + settings.combination().name().toLowerCase() + ", latent "
                + settings.latent() + ", " + test.name() + ")";
    }
}
