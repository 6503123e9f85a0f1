package chorus.models;

import chorus.data.Modality;
import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a multimodal VAE: one encoder, decoder and likelihood per modality (in modality
 * order) over a shared latent of {@code latent} dimensions. Encoders output {@code [mu | logvar]}.
 */
public record MultimodalVae(List<Modality> modalities, List<Network> encoders, List<Network> decoders,
                            List<Likelihood> likelihoods, int latent) {

    public MultimodalVae {
        modalities = List.copyOf(modalities);
        encoders = List.copyOf(encoders);
        decoders = List.copyOf(decoders);
        likelihoods = List.copyOf(likelihoods);
        int m = modalities.size();
        if (encoders.size() != m || decoders.size() != m || likelihoods.size() != m) {
            throw new IllegalArgumentException("model: " + m + " modalities but " + encoders.size() + " encoders, "
                    + decoders.size() + " decoders, " + likelihoods.size() + " likelihoods; expected one of each per modality");
        }
        for (int j = 0; j < m; j++) {
            Modality mod = modalities.get(j);
            if (encoders.get(j).inputSize() != mod.size() || encoders.get(j).outputSize() != 2 * latent) {
                throw new IllegalArgumentException("encoder of modality '" + mod.name() + "': " + encoders.get(j).inputSize()
                        + " -> " + encoders.get(j).outputSize() + ", expected " + mod.size() + " -> " + (2 * latent));
            }
            int params = likelihoods.get(j).paramSize(mod.size());
            if (decoders.get(j).inputSize() != latent || decoders.get(j).outputSize() != params) {
                throw new IllegalArgumentException("decoder of modality '" + mod.name() + "': " + decoders.get(j).inputSize()
                        + " -> " + decoders.get(j).outputSize() + ", expected " + latent + " -> " + params);
            }
        }
    }

    /** A deep copy: same parameters and optimizer state, independent from here on. */
    public MultimodalVae copy() {
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        encoders.forEach(n -> enc.add(n.copy()));
        decoders.forEach(n -> dec.add(n.copy()));
        return new MultimodalVae(modalities, enc, dec, likelihoods, latent);
    }
}
