package chorus.models;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.Networks;
import chorus.models.objective.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds a model's networks, its objective and its input from {@link ModelSettings}, through the
 * {@link ModelFamily} that {@code chorus.model.combination} names (the registry is
 * {@link ModelSettings.Combination}): per-modality experts (with private latents when
 * {@code private-latent > 0}), or the concatenated VAE ({@code chorus.models.concat}).
 */
public final class ModelFactory {

    private ModelFactory() {
    }

    /**
     * Fresh networks for the dataset's {@code modalities}, as the settings' family builds them (by default
     * {@link #experts}), with the settings' seed, learning rate and {@code dtype}.
     */
    public static MultimodalVae build(ModelSettings s, List<Modality> modalities, DataType dtype) {
        NetworkOptions options = NetworkOptions.of(s.seed()).withDataType(dtype).withLearningRate(s.learningRate());
        return s.combination().family().build(s, modalities, options);
    }

    /**
     * One encoder and decoder per modality: encoder j is seeded by (seed, 2j), decoder j by (seed, 2j+1);
     * every network's latent is {@code latent + private-latent}. (The concatenated VAE's one encoder and
     * decoder are seeded like modality 0's.)
     */
    public static MultimodalVae experts(ModelSettings s, List<Modality> modalities, NetworkOptions options) {
        int latent = s.networkLatent();
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        List<Likelihood> lik = new ArrayList<>();
        for (int j = 0; j < modalities.size(); j++) {
            Modality m = modalities.get(j);
            ModalitySettings ms = s.modalities().get(j);
            Likelihood l = Likelihoods.of(m, ms.likelihood(), ms.scale());
            String arch = ms.arch().configName();
            enc.add(Networks.encoder(m, arch, latent, ms.hidden(), ms.conv(),
                    options.withSeed(Seeds.derive(s.seed(), 2L * j))));
            dec.add(Networks.decoder(m, arch, latent, ms.hidden(), ms.conv(), l.paramSize(m.size()),
                    options.withSeed(Seeds.derive(s.seed(), 2L * j + 1))));
            lik.add(l);
        }
        return new MultimodalVae(modalities, enc, dec, lik, latent, s.privateLatent());
    }

    /**
     * The objective the settings' family names, over the dataset's {@code modalities}, its noise seeded by
     * (seed, -1): e.g. with private latents the private-shared objective of the same plan.
     */
    public static Objective objective(ModelSettings s, List<Modality> modalities) {
        return s.combination().family().objective(s, modalities, Seeds.derive(s.seed(), -1));
    }

    /**
     * How a batch of the dataset becomes the model's input: unchanged, or for CONCAT the one joint-modality
     * batch of {@code Concatenation.batch}. Whatever produces batches for the model applies it.
     */
    public static UnaryOperator<Batch> input(ModelSettings s) {
        return s.combination().family().input(s);
    }

    /**
     * The part of a trained model that evaluation reads over the dataset's modalities ({@link ModelFamily#evaluated}):
     * the whole model, or for the factorised MMVAE its MMVAE without the unimodal VAEs.
     */
    public static MultimodalVae evaluated(ModelSettings s, MultimodalVae trained) {
        return s.combination().family().evaluated(trained);
    }
}
