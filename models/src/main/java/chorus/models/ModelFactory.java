package chorus.models;

import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.Networks;
import chorus.models.objective.ElboObjective;
import chorus.models.objective.MixtureObjective;
import chorus.models.objective.Objective;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** Builds a model's networks and its objective from {@link ModelSettings}. */
public final class ModelFactory {

    private ModelFactory() {
    }

    /** Fresh networks for every modality; encoder j is seeded by (seed, 2j), decoder j by (seed, 2j+1). */
    public static MultimodalVae build(ModelSettings s, List<Modality> modalities, DataType dtype) {
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        List<Likelihood> lik = new ArrayList<>();
        for (int j = 0; j < modalities.size(); j++) {
            Modality m = modalities.get(j);
            ModalitySettings ms = s.modalities().get(j);
            Likelihood l = Likelihoods.of(ms.likelihood(), ms.scale());
            NetworkOptions opts = NetworkOptions.of(Seeds.derive(s.seed(), 2L * j)).withDataType(dtype)
                    .withLearningRate(s.learningRate());
            String arch = ms.arch().configName();
            enc.add(Networks.encoder(m, arch, s.latent(), ms.hidden(), opts));
            dec.add(Networks.decoder(m, arch, s.latent(), ms.hidden(), l.paramSize(m.size()),
                    opts.withSeed(Seeds.derive(s.seed(), 2L * j + 1))));
            lik.add(l);
        }
        return new MultimodalVae(modalities, enc, dec, lik, s.latent());
    }

    /** The objective the settings name. */
    public static Objective objective(ModelSettings s, List<Modality> modalities) {
        long noiseSeed = Seeds.derive(s.seed(), -1);
        return switch (s.combination()) {
            case POE -> ElboObjective.mvae(modalities, s.randomSubsets(), s.lambdas(), noiseSeed);
            case MOPOE -> ElboObjective.mopoe(modalities, s.includePrior(), s.lambdas(), noiseSeed);
            case MOE -> MixtureObjective.of(modalities, s.samples(), s.estimator(), s.lambdas(), noiseSeed);
        };
    }
}
