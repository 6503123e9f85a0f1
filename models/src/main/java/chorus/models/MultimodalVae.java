package chorus.models;

import chorus.data.Modality;
import chorus.models.likelihood.EncoderOnly;
import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of a multimodal VAE: one encoder, decoder and likelihood per modality (in modality
 * order) over a latent of {@code latent} dimensions. Encoders output {@code [mu | logvar]}.
 *
 * <p>With {@code privateLatent} Dp &gt; 0 the latent is split (private + shared latents): its first
 * {@code latent - Dp} columns are shared by every modality (experts are combined over them) and its last
 * Dp columns are private to each modality (decoder m reads modality m's own). A point of the whole model
 * then has {@link #jointLatent()} = Ds + M Dp dimensions: the shared part, then each modality's private
 * part in modality order ({@code chorus.models.evaluation.Generation} samples and decodes such points).
 */
public record MultimodalVae(List<Modality> modalities, List<Network> encoders, List<Network> decoders,
                            List<Likelihood> likelihoods, int latent, int privateLatent) {

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
        if (privateLatent < 0 || privateLatent >= latent) {
            throw new IllegalArgumentException("model: " + privateLatent + " private of " + latent
                    + " latent dimensions, expected 0 <= private < latent (at least one shared dimension)");
        }
        for (int j = 0; j < m; j++) {
            Modality mod = modalities.get(j);
            int out = encoderOnly(likelihoods.get(j)) ? encoders.get(j).outputSize() : 2 * latent; // a joint encoder has its own latent
            if (encoders.get(j).inputSize() != mod.size() || encoders.get(j).outputSize() != out || out % 2 != 0) {
                throw new IllegalArgumentException("encoder of modality '" + mod.name() + "': " + encoders.get(j).inputSize()
                        + " -> " + encoders.get(j).outputSize() + ", expected " + mod.size() + " -> " + out);
            }
            int params = likelihoods.get(j).paramSize(mod.size());
            Network dec = decoders.get(j);
            int target = dec.targetWidth() == 0 ? 0 : mod.size(); // a teacher-forced decoder reads [z | x]
            if (dec.inputSize() != latent + target || dec.outputSize() != params) {
                throw new IllegalArgumentException("decoder of modality '" + mod.name() + "': " + dec.inputSize()
                        + " -> " + dec.outputSize() + ", expected " + (latent + target) + " -> " + params
                        + (target == 0 ? "" : " (latent " + latent + " beside the " + target + " data values)"));
            }
        }
    }

    /**
     * Whether modality {@code j} is read only by an encoder ({@link EncoderOnly}: a joint encoder's input, see
     * {@code chorus.models.joint}); its encoder's latent may differ from {@code latent} and its decoder never runs.
     */
    public boolean encoderOnly(int j) {
        return encoderOnly(likelihoods.get(j));
    }

    private static boolean encoderOnly(Likelihood likelihood) {
        return likelihood instanceof EncoderOnly;
    }

    /** A model whose whole latent is shared (no private dimensions). */
    public MultimodalVae(List<Modality> modalities, List<Network> encoders, List<Network> decoders,
                         List<Likelihood> likelihoods, int latent) {
        this(modalities, encoders, decoders, likelihoods, latent, 0);
    }

    /** Ds, the latent columns every modality shares. */
    public int sharedLatent() {
        return latent - privateLatent;
    }

    /** Ds + M Dp: the shared part, then every modality's private part (equal to {@code latent} without private ones). */
    public int jointLatent() {
        return sharedLatent() + modalities.size() * privateLatent;
    }

    /** A copy for inference only: the same parameters, no optimizer state ({@link Network#inferenceCopy}). */
    public MultimodalVae inferenceCopy() {
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        encoders.forEach(n -> enc.add(n.inferenceCopy()));
        decoders.forEach(n -> dec.add(n.inferenceCopy()));
        return new MultimodalVae(modalities, enc, dec, likelihoods, latent, privateLatent);
    }

    /** A deep copy: same parameters and optimizer state, independent from here on. */
    public MultimodalVae copy() {
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        encoders.forEach(n -> enc.add(n.copy()));
        decoders.forEach(n -> dec.add(n.copy()));
        return new MultimodalVae(modalities, enc, dec, likelihoods, latent, privateLatent);
    }
}
