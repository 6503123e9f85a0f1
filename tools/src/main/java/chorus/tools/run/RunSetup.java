package chorus.tools.run;

import chorus.data.Batch;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.Modality;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.objective.Objective;
import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What every command assembles from a resolved config, in one place and one order: the data settings, the
 * dataset's splits, the modalities (the loaded data's, or read from the stored files' headers when nothing is
 * loaded), the model settings for them, and from those the model, its objective and how a batch becomes the
 * model's input (the joint batch for the concatenated VAE). {@code train}, {@code bench}, {@code worker}, the
 * memory planner and the checkpoint reader all start here, so {@link Checkpoint} is only the file format.
 */
public final class RunSetup {

    private final Config config;
    private final DataSettings data;
    private final Map<String, Dataset> splits;
    private final List<Modality> modalities;
    private final ModelSettings settings;

    private RunSetup(Config config, DataSettings data, Map<String, Dataset> splits, List<Modality> modalities) {
        this.config = config;
        this.data = data;
        this.splits = splits;
        this.modalities = modalities;
        this.settings = ModelSettings.from(config, modalities);
    }

    /** Loads {@code first} and {@code more} splits of {@code c}'s dataset (in that order); the model is set up for their modalities. */
    public static RunSetup load(Config c, String first, String... more) {
        DataSettings ds = DataSettings.from(c);
        Map<String, Dataset> loaded = new LinkedHashMap<>();
        loaded.put(first, Datasets.load(ds, first));
        for (String split : more) {
            loaded.put(split, Datasets.load(ds, split));
        }
        return new RunSetup(c, ds, loaded, loaded.get(first).modalities());
    }

    /** {@code c}'s set-up without loading data: the modalities come from the stored files (worker nodes, the memory planner). */
    public static RunSetup withoutData(Config c) {
        DataSettings ds = DataSettings.from(c);
        return new RunSetup(c, ds, Map.of(), Datasets.modalities(ds));
    }

    /** The resolved config. */
    public Config config() {
        return config;
    }

    /** The data settings (batch size, seed, dataset). */
    public DataSettings data() {
        return data;
    }

    /** The split {@code name}, loaded by {@link #load}. */
    public Dataset split(String name) {
        Dataset d = splits.get(name);
        if (d == null) {
            throw new IllegalStateException("split " + name + " was not loaded; loaded: " + splits.keySet());
        }
        return d;
    }

    /** The data's modalities (the concatenated VAE's model has one joint modality instead). */
    public List<Modality> modalities() {
        return modalities;
    }

    /** The model settings for the data's modalities. */
    public ModelSettings settings() {
        return settings;
    }

    /** A new model with freshly initialised parameters, in {@code dtype}. */
    public MultimodalVae model(DataType dtype) {
        return ModelFactory.build(settings, modalities, dtype);
    }

    /** A new model restored from {@code checkpoint}, in {@code dtype}. */
    public MultimodalVae model(DataType dtype, Checkpoint checkpoint) {
        MultimodalVae model = model(dtype);
        checkpoint.restoreInto(model);
        return model;
    }

    /** The model's objective. */
    public Objective objective() {
        return ModelFactory.objective(settings, modalities);
    }

    /** How a batch of the data becomes the model's input. */
    public UnaryOperator<Batch> input() {
        return ModelFactory.input(settings);
    }
}
