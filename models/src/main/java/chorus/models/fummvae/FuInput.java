package chorus.models.fummvae;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.ModalitySettings;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.Network;
import chorus.models.nn.arch.Networks;
import chorus.models.nn.NetworkOptions;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The unimodal VAEs of the factorised MMVAE as modalities of their own, so that every driver (the reference
 * model, the actors with their placement, replicas and cluster nodes, checkpoints) runs their encoders and
 * decoders like any other: the dataset's M modalities (the MMVAE's experts and decoders) are followed by M
 * modalities {@code <name>-uni} holding the same values and presence (the unimodal VAE of that modality).
 */
public final class FuInput {

    /** The suffix of a unimodal VAE's modality name (its workers are {@code chorus.workers.<name>-uni}). */
    public static final String SUFFIX = "-uni";

    private FuInput() {
    }

    /** The unimodal VAE's copy of {@code m}: same kind, shape and likelihood, named {@code <name>-uni}. */
    public static Modality unimodal(Modality m) {
        return new Modality(m.name() + SUFFIX, m.kind(), m.shape(), m.likelihood());
    }

    /** The dataset's modalities followed by their unimodal copies. */
    public static List<Modality> modalities(List<Modality> data) {
        if (data.size() < 2 || data.stream().anyMatch(m -> m.name().endsWith(SUFFIX))) {
            throw new IllegalArgumentException("factorised MMVAE over " + data.stream().map(Modality::name).toList()
                    + ": expected two or more modalities, none named *" + SUFFIX);
        }
        List<Modality> out = new ArrayList<>(data);
        data.forEach(m -> out.add(unimodal(m)));
        return out;
    }

    /** The batch with every modality's values and presence repeated under its {@code -uni} name (same arrays, not copied). */
    public static Batch batch(Batch batch) {
        List<INDArray> tensors = new ArrayList<>(batch.tensors());
        tensors.addAll(batch.tensors());
        INDArray presence = org.nd4j.linalg.factory.Nd4j.hstack(batch.presence(), batch.presence()); // [B, 2M]
        return new Batch(batch.step(), modalities(batch.modalities()), tensors, presence, batch.rows());
    }

    /**
     * The MMVAE's networks ({@link ModelFactory#experts}: encoder j seeded by (seed, 2j), decoder j by (seed, 2j+1))
     * followed by each unimodal VAE's, built from the same modality settings (architecture, hidden sizes,
     * likelihood and scale: the notes' unimodal VAEs are the MMVAE's own VAE classes), seeded by (seed, 2(M+j))
     * and (seed, 2(M+j)+1).
     */
    public static MultimodalVae model(ModelSettings s, List<Modality> data, NetworkOptions options) {
        MultimodalVae mmvae = ModelFactory.experts(s, data, options);
        List<Modality> mods = modalities(data);
        List<Network> enc = new ArrayList<>(mmvae.encoders());
        List<Network> dec = new ArrayList<>(mmvae.decoders());
        List<Likelihood> lik = new ArrayList<>(mmvae.likelihoods());
        int m = data.size();
        for (int j = 0; j < m; j++) {
            Modality u = mods.get(m + j);
            ModalitySettings ms = s.modalities().get(j);
            Likelihood l = Likelihoods.of(u, ms.likelihood(), ms.scale());
            String arch = ms.arch().configName();
            enc.add(Networks.encoder(u, arch, s.latent(), ms.hidden(), ms.conv(), options.withSeed(Seeds.derive(s.seed(), 2L * (m + j)))));
            dec.add(Networks.decoder(u, arch, s.latent(), ms.hidden(), ms.conv(), l.paramSize(u.size()),
                    options.withSeed(Seeds.derive(s.seed(), 2L * (m + j) + 1))));
            lik.add(l);
        }
        return new MultimodalVae(mods, enc, dec, lik, s.latent());
    }

    /**
     * The MMVAE of a factorised model: its first M modalities' networks (the same objects, not copies) over the
     * dataset's modalities. It reads the dataset's batches as they are, or {@link #batch}'s (the extra columns
     * are not read).
     */
    public static MultimodalVae mmvae(MultimodalVae trained) {
        int all = trained.modalities().size();
        if (all % 2 != 0 || !trained.modalities().get(all / 2).name().equals(trained.modalities().get(0).name() + SUFFIX)) {
            throw new IllegalArgumentException("model over " + trained.modalities().stream().map(Modality::name).toList()
                    + ": expected a factorised MMVAE (the dataset's modalities, then each one's " + SUFFIX + " copy)");
        }
        int m = all / 2;
        return new MultimodalVae(trained.modalities().subList(0, m), trained.encoders().subList(0, m),
                trained.decoders().subList(0, m), trained.likelihoods().subList(0, m), trained.latent());
    }
}
