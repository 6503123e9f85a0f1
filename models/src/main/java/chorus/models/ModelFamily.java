package chorus.models;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.models.nn.NetworkOptions;
import chorus.models.objective.Objective;
import com.typesafe.config.Config;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A model family as {@link ModelFactory} sees it: its networks, its objective and the batch its networks
 * read, each taken from {@link ModelSettings}. Each family's package has one implementation, and
 * {@link ModelSettings.Combination} registers them, one constant per family: adding a model is a new
 * package plus that one line.
 */
public interface ModelFamily {

    /**
     * Fresh networks for the dataset's modalities; by default one encoder and decoder per modality
     * ({@link ModelFactory#experts}).
     */
    default MultimodalVae build(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
        return ModelFactory.experts(s, modalities, options);
    }

    /** The objective over the dataset's modalities; its noise and random subsets are seeded by {@code seed}. */
    Objective objective(ModelSettings s, List<Modality> modalities, long seed);

    /** How a batch of the dataset becomes the model's input; unchanged unless the family says otherwise. */
    default UnaryOperator<Batch> input() {
        return UnaryOperator.identity();
    }

    /** As {@link #input()}, for a family whose input depends on its settings (MFM's joint encoder leaves out the label). */
    default UnaryOperator<Batch> input(ModelSettings s) {
        return input();
    }

    /**
     * The part of a trained model that evaluation (sample grids, coherence, latent accuracy, embeddings) reads as
     * a multimodal VAE over the dataset's modalities; by default the whole model. The objective and the test ELBO
     * still need the whole model.
     */
    default MultimodalVae evaluated(MultimodalVae trained) {
        return trained;
    }

    /** Whether the family has private latents ({@code chorus.model.private-latent > 0} is allowed). */
    default boolean privateLatents() {
        return false;
    }

    /**
     * Checks the family's own constraints on {@code chorus.model} once it has been read ({@code path} is
     * {@code chorus.model.modalities}); by default there are none.
     */
    default void validate(Config root, String path, List<Modality> modalities) {
    }
}
