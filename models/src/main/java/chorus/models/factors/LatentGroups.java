package chorus.models.factors;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.concat.Concatenation;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.objective.EncoderStage;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A trained model's latent as named groups of units, and the means of q(z | every view) of test rows in that
 * layout: the joint-encoder models (JMVAE, TELBO, MuMo-VAE) use their joint encoder, the concatenated VAE its
 * one encoder, the others the posterior they were trained with ({@link Generation#posterior}). With private
 * latents the groups are {@code shared} (the first Ds units) and {@code private:<modality>} (Dp units each,
 * in modality order); without, one group {@code z}. {@link #decode} turns points of this layout back into
 * every data modality's mean, decoder m reading (shared, private_m).
 */
public final class LatentGroups {

    /** A named block of latent units. */
    public record Group(String name, int[] columns) {
    }

    private LatentGroups() {
    }

    /** Whether the model runs a joint encoder (JMVAE, TELBO, MuMo-VAE): its last modality is encoder-only. */
    public static boolean joint(MultimodalVae model) {
        return model.encoderOnly(model.modalities().size() - 1);
    }

    /** The groups of the model's latent layout. */
    public static List<Group> groups(ModelSettings s, List<Modality> data) {
        int ds = s.latent();
        int dp = s.privateLatent();
        if (dp == 0 || s.combination() == Combination.CONCAT) {
            return List.of(new Group("z", range(0, ds)));
        }
        List<Group> out = new ArrayList<>(List.of(new Group("shared", range(0, ds))));
        for (int m = 0; m < data.size(); m++) {
            out.add(new Group("private:" + data.get(m).name(), range(ds + m * dp, ds + (m + 1) * dp)));
        }
        return out;
    }

    /** E[z | every view] of the first {@code limit} rows {@code [N, D]}, in batches. */
    public static INDArray means(MultimodalVae model, ModelSettings s, Dataset data, int limit, int batchSize) {
        int n = Math.min(limit, data.size());
        List<INDArray> parts = new ArrayList<>();
        List<String> all = data.modalities().stream().map(Modality::name).toList();
        for (int from = 0; from < n; from += batchSize) {
            int[] rows = range(from, Math.min(n, from + batchSize));
            Batch batch = ModelFactory.input(s).apply(data.batch(0, rows));
            if (joint(model) || s.combination() == Combination.CONCAT) {
                int j = model.modalities().size() - 1; // the joint encoder, or the concatenated VAE's one encoder
                parts.add(EncoderStage.expert(model.encoders().get(j).output(batch.tensors().get(j))).mu()); // [B, D]
            } else {
                parts.add(Generation.posterior(model, PosteriorRule.of(s), batch, all).mean());              // [B, D]
            }
        }
        return Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /**
     * The mean of q(z | modality {@code given} alone) of the first {@code limit} rows in this layout {@code [N, D]},
     * the other modalities' private parts at the prior mean 0 (cross-modal prediction, the notes' section 5): a
     * joint-encoder model's unimodal expert (its shared part, and its private part in the given modality's slot),
     * otherwise the posterior the model was trained with. The concatenated VAE has no encoder for one modality.
     */
    public static INDArray givenOne(MultimodalVae model, ModelSettings s, Dataset data, int given, int[] rows) {
        if (s.combination() == Combination.CONCAT) {
            throw new IllegalArgumentException("the concatenated VAE has no encoder for modality '"
                    + data.modalities().get(given).name() + "' alone");
        }
        Batch batch = ModelFactory.input(s).apply(data.batch(0, rows));
        if (!joint(model)) {
            return Generation.posterior(model, PosteriorRule.of(s), batch, List.of(data.modalities().get(given).name())).mean();
        }
        INDArray mu = EncoderStage.expert(model.encoders().get(given).output(batch.tensors().get(given))).mu(); // [B, Ds + Dp]
        int ds = s.latent();
        int dp = s.privateLatent();
        if (dp == 0) {
            return mu;
        }
        INDArray z = Nd4j.zeros(mu.dataType(), rows.length, ds + data.modalities().size() * (long) dp);            // [B, Ds + M Dp]
        z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, ds)).assign(mu.get(NDArrayIndex.all(), NDArrayIndex.interval(0, ds)));
        z.get(NDArrayIndex.all(), NDArrayIndex.interval(ds + given * dp, ds + (given + 1) * dp))
                .assign(mu.get(NDArrayIndex.all(), NDArrayIndex.interval(ds, ds + dp)));
        return z;
    }

    /** Every data modality's mean {@code [R, size_m]} at latent points {@code z [R, D]} of this layout. */
    public static List<INDArray> decode(MultimodalVae model, ModelSettings s, List<Modality> data, INDArray z) {
        if (s.combination() == Combination.CONCAT) {
            return Concatenation.split(data, Generation.decode(model, 0, z));
        }
        if (!joint(model)) {
            return Generation.decodeAll(model, z);
        }
        int ds = s.latent();
        int dp = s.privateLatent();
        List<INDArray> out = new ArrayList<>();
        for (int m = 0; m < data.size(); m++) {
            INDArray in = dp == 0 ? z : Nd4j.hstack(z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, ds)),
                    z.get(NDArrayIndex.all(), NDArrayIndex.interval(ds + m * dp, ds + (m + 1) * dp)));   // [R, Ds + Dp]
            INDArray params = model.decoders().get(m).output(in.castTo(model.decoders().get(m).dataType()));
            out.add(model.likelihoods().get(m).mean(params));                                         // [R, size_m]
        }
        return out;
    }

    static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
