package chorus.models;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.ModelSettings.Combination;
import chorus.models.concat.Concatenation;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.Networks;
import chorus.models.poe.ElboObjective;
import chorus.models.mmvae.MixtureObjective;
import chorus.models.objective.Objective;
import chorus.models.privateshared.PrivateSharedObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds a model's networks, its objective and its input from {@link ModelSettings}: per-modality experts
 * (with private latents when {@code private-latent > 0}), or the concatenated VAE ({@link Concatenation}).
 */
public final class ModelFactory {

    private ModelFactory() {
    }

    /**
     * Fresh networks for the dataset's {@code modalities}; encoder j is seeded by (seed, 2j), decoder j by
     * (seed, 2j+1). Every network's latent is {@code latent + private-latent}. CONCAT builds the one-modality
     * model of {@link Concatenation#model}, whose encoder and decoder are seeded like modality 0's.
     */
    public static MultimodalVae build(ModelSettings s, List<Modality> modalities, DataType dtype) {
        NetworkOptions options = NetworkOptions.of(s.seed()).withDataType(dtype).withLearningRate(s.learningRate());
        if (s.combination() == Combination.CONCAT) {
            return Concatenation.model(modalities, s.modalities(), s.latent(), s.concatHidden(), options);
        }
        int latent = s.networkLatent();
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        List<Likelihood> lik = new ArrayList<>();
        for (int j = 0; j < modalities.size(); j++) {
            Modality m = modalities.get(j);
            ModalitySettings ms = s.modalities().get(j);
            Likelihood l = Likelihoods.of(ms.likelihood(), ms.scale());
            String arch = ms.arch().configName();
            enc.add(Networks.encoder(m, arch, latent, ms.hidden(), options.withSeed(Seeds.derive(s.seed(), 2L * j))));
            dec.add(Networks.decoder(m, arch, latent, ms.hidden(), l.paramSize(m.size()),
                    options.withSeed(Seeds.derive(s.seed(), 2L * j + 1))));
            lik.add(l);
        }
        return new MultimodalVae(modalities, enc, dec, lik, latent, s.privateLatent());
    }

    /**
     * The objective the settings name, over the dataset's {@code modalities}: with private latents the
     * {@link PrivateSharedObjective} of the same plan (which is the plain one when there are none).
     */
    public static Objective objective(ModelSettings s, List<Modality> modalities) {
        long noiseSeed = Seeds.derive(s.seed(), -1);
        int dp = s.privateLatent();
        return switch (s.combination()) {
            case POE -> dp == 0 ? ElboObjective.mvae(modalities, s.randomSubsets(), s.lambdas(), noiseSeed)
                    : PrivateSharedObjective.mvae(modalities, s.latent(), dp, s.randomSubsets(), s.lambdas(), noiseSeed);
            case MOPOE -> dp == 0 ? ElboObjective.mopoe(modalities, s.includePrior(), s.lambdas(), noiseSeed)
                    : PrivateSharedObjective.mopoe(modalities, s.latent(), dp, s.includePrior(), s.lambdas(), noiseSeed);
            case MOE -> MixtureObjective.of(modalities, s.samples(), s.estimator(), s.lambdas(), noiseSeed);
            case CONCAT -> Concatenation.objective(noiseSeed);
        };
    }

    /**
     * How a batch of the dataset becomes the model's input: unchanged, or for CONCAT the one joint-modality
     * batch of {@link Concatenation#batch}. Whatever produces batches for the model applies it.
     */
    public static UnaryOperator<Batch> input(ModelSettings s) {
        return s.combination() == Combination.CONCAT ? Concatenation::batch : UnaryOperator.identity();
    }
}
