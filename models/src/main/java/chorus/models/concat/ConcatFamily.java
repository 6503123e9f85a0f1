package chorus.models.concat;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.config.Settings;
import chorus.data.config.SettingsException;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.nn.NetworkOptions;
import chorus.models.poe.ElboObjective;
import com.typesafe.config.Config;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The concatenated VAE as a registered model: one MLP encoder and decoder of {@code concat-hidden} over the
 * joint modality ({@link Concatenation#model}), its one-term objective, and batches turned into joint ones.
 * Reads {@code latent}, {@code concat-hidden} and each modality's likelihood, scale and weight.
 */
public enum ConcatFamily implements ModelFamily {

    /** The vanilla VAE on concatenated modalities (Wu &amp; Goodman 2018's "VAE" baseline). */
    VAE;

    @Override
    public MultimodalVae build(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
        return Concatenation.model(modalities, s.modalities(), s.latent(), s.concatHidden(), options);
    }

    @Override
    public ElboObjective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return Concatenation.objective(seed);
    }

    @Override
    public UnaryOperator<Batch> input() {
        return Concatenation::batch;
    }

    /**
     * The concatenated VAE has one MLP over every modality: a modality's {@code arch} or {@code hidden} would
     * be silently ignored, so it is an error that points to {@code concat-hidden}.
     */
    @Override
    public void validate(Config root, String path, List<Modality> modalities) {
        for (Modality m : modalities) {
            for (String key : List.of("arch", "hidden")) {
                String k = path + "." + m.name() + "." + key;
                if (root.hasPath(k)) {
                    throw new SettingsException(k + " (" + Settings.origin(root, k) + "): combination = concat has one MLP"
                            + " encoder and decoder over all modalities; set their sizes with chorus.model.concat-hidden"
                            + " instead of a modality's arch and hidden");
                }
            }
        }
    }
}
