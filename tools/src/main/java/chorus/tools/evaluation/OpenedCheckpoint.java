package chorus.tools.evaluation;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.concat.Concatenation;
import chorus.models.evaluation.PosteriorRule;
import chorus.tools.run.Checkpoint;
import chorus.tools.run.RunSetup;
import chorus.tools.run.StoredConfig;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A checkpoint opened for the evaluation commands: its stored config with the command line's
 * {@code -Dchorus.data.*} overrides (to find the data elsewhere; the model is fixed by the checkpoint), the
 * dataset's test split, the model settings and the restored model. The test split's modalities are the
 * data's; the model's are the same except for the concatenated VAE, whose one modality holds them all.
 */
public record OpenedCheckpoint(Path file, Checkpoint checkpoint, Config config, Dataset test, ModelSettings settings,
                        MultimodalVae model) {

    /** Reads {@code file}, loads the test split it names and restores the model, in float. */
    public static OpenedCheckpoint open(Path file, Map<String, String> overrides) {
        Checkpoint cp = Checkpoint.read(file);
        Config config = StoredConfig.override(cp.config(), overrides, ChorusConfig.ROOT + ".data.",
                "a checkpoint fixes its model and run settings; only chorus.data.* may be overridden");
        RunSetup setup = RunSetup.load(config, "test");
        MultimodalVae model = setup.model(DataType.FLOAT, cp);
        return new OpenedCheckpoint(file, cp, config, setup.split("test"), setup.settings(), model);
    }

    /** How this model combines experts. */
    public PosteriorRule rule() {
        return PosteriorRule.of(settings);
    }

    /** How a test batch becomes the model's input (the joint batch for the concatenated VAE). */
    public UnaryOperator<Batch> input() {
        return ModelFactory.input(settings);
    }

    /** Whether the model is the concatenated VAE, which has no encoder for one modality alone. */
    public boolean concatenated() {
        return Concatenation.isConcatenated(model);
    }

    /** The index of the data's first image modality, for the commands that draw; an error naming the file when it has none. */
    public int imageToDraw() {
        int image = Roles.image(test.modalities());
        if (image < 0) {
            throw new IllegalArgumentException("checkpoint " + file + ": the model has no image modality to draw");
        }
        return image;
    }

    /**
     * {@code --condition spec} parsed for this model, or null without one. The concatenated VAE cannot infer z
     * from one modality alone, so there it is an error that says so.
     */
    public Condition condition(String spec) {
        if (spec == null) {
            return null;
        }
        if (concatenated()) {
            throw new IllegalArgumentException("--condition " + spec + ": the concatenated VAE (combination = concat) has"
                    + " one encoder over all modalities together, so it cannot condition on one of them; leave out --condition");
        }
        return Condition.parse(spec, model, test.name());
    }

    /** One line for the command's header: file, step, model. */
    public String describe() {
        return file + " (step " + checkpoint.step() + ", " + settings.describe() + ", " + test.name() + ")";
    }
}
