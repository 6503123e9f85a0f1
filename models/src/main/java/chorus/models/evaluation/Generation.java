package chorus.models.evaluation;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.MultimodalVae;
import chorus.models.objective.DecoderInput;
import chorus.models.objective.EncoderStage;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.Noise;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Generation from a trained multimodal VAE, forward passes only: the posterior given any subset of the
 * observed modalities, decoding a latent to every modality's expected value, joint samples from the
 * prior, conditional samples and reconstructions (Wu &amp; Goodman 2018, MVAE; Shi et al. 2019, MMVAE).
 *
 * <p>Latent points are of the model's joint latent ({@link MultimodalVae#jointLatent()}). Without private
 * latents that is the latent every decoder reads. With private latents (Dp &gt; 0) a point is
 * {@code (z_s, z_p1, ..., z_pM)} and decoder m reads {@code (z_s, z_pm)}: the shared part z_s comes from the
 * product of the given modalities' shared columns, and modality m's private part z_pm from m's own private
 * expert when m is given (and observed in that row), otherwise from the prior N(0, I). So cross-modal
 * generation uses the shared part of the condition's posterior and the prior for the private part of the
 * generated modality; at a posterior mean that private part is the prior's mean, 0.
 *
 * <p>A decoded value is the likelihood's mean ({@link chorus.models.likelihood.Likelihood#mean}):
 * Bernoulli pixel probabilities, Categorical class probabilities, the Gaussian or Laplace location. Every
 * random draw is seeded by the caller; no network or optimizer state changes.
 */
public final class Generation {

    private Generation() {
    }

    /**
     * q(z | X_S) for the rows of {@code batch}, S = {@code given} intersected with what each row observes,
     * combined as the model was trained ({@link PosteriorRule}). A model with a joint encoder infers from it on the
     * rows where S holds every modality it reads ({@link JointPosterior}); the batch may carry the joint modality
     * or not (it is rebuilt from the data modalities).
     */
    public static SubsetPosterior posterior(MultimodalVae model, PosteriorRule rule, Batch batch, List<String> given) {
        int n = model.dataModalities().size();
        int[] subset = java.util.Arrays.stream(indices(model, given)).filter(j -> j < n).toArray();
        DataType dtype = model.encoders().get(0).dataType();
        int b = batch.size();
        INDArray mask = Nd4j.zeros(dtype, b, n);                                         // [B, M] 1 only inside S
        List<Gaussian> experts = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            experts.add(Gaussian.standard(b, model.latent(), dtype)); // never read unless j is in S
        }
        for (int j : subset) {
            mask.putColumn(j, batch.presence().getColumn(j).castTo(dtype));
            Gaussian q = encode(model, j, batch.tensors().get(j));
            q = rule.deterministic() ? JointPosterior.point(q) : q;
            boolean head = rule.notJoint().contains(model.modalities().get(j).name()) && model.privateLatent() > 0;
            experts.set(j, head ? JointPosterior.priorPrivate(q, model.sharedLatent()) : q);
        }
        SubsetPosterior q = SubsetPosterior.of(experts, mask, rule, model.privateLatent());
        return rule.jointEncoder() && model.jointEncoder() >= 0 ? JointPosterior.of(model, rule, batch, subset, q) : q;
    }

    /** The expert q_j(z | x_j) {@code [B, D]} of every row of {@code x [B, size]} (stateless inference). */
    public static Gaussian encode(MultimodalVae model, int modality, INDArray x) {
        return EncoderStage.expert(model.encoders().get(modality).output(x));             // [B, D] each
    }

    /** E[x_j | z] {@code [R, size]} for joint latent points {@code z [R, jointLatent]}. */
    public static INDArray decode(MultimodalVae model, int modality, INDArray z) {
        INDArray params = DecoderInput.generating(model.decoders().get(modality), model.modalities().get(modality),
                decoderInput(model, modality, z));                                        // [R, P]
        return model.likelihoods().get(modality).mean(params);                           // [R, size]
    }

    /**
     * What decoder j reads of joint latent points {@code z [R, jointLatent]}: z itself without private
     * latents, otherwise the shared part and modality j's private part {@code [R, Ds + Dp]}.
     */
    public static INDArray decoderInput(MultimodalVae model, int modality, INDArray z) {
        if (z.rank() != 2 || z.size(1) != model.jointLatent()) {
            throw new IllegalArgumentException("latent points z: shape " + java.util.Arrays.toString(z.shape())
                    + ", expected [R, " + model.jointLatent() + "] (the model's joint latent)");
        }
        int dp = model.privateLatent();
        if (dp == 0) {
            return z;
        }
        int ds = model.sharedLatent();
        long from = ds + (long) modality * dp;
        return Nd4j.hstack(z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, ds)),
                z.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + dp)));     // [R, Ds + Dp]
    }

    /** E[x_j | z] for every data modality j (every modality a decoder reconstructs), in modality order. */
    public static List<INDArray> decodeAll(MultimodalVae model, INDArray z) {
        List<INDArray> out = new ArrayList<>();
        for (int j = 0; j < model.dataModalities().size(); j++) {
            out.add(decode(model, j, z));
        }
        return out;
    }

    /**
     * {@code n} joint latent points from the model's prior {@code [n, jointLatent]}, a function of {@code seed}
     * alone: N(0, I), or for Laplace latents (MMVAE+) Laplace(0, 1) in every column, the shared z and each
     * modality's w_m drawn from p(w_m) as MMVAE+'s unconditional generation does (the auxiliary r(w_m) only stands
     * in for a specific latent in cross-modal generation).
     */
    public static INDArray priorLatents(MultimodalVae model, PosteriorRule rule, int n, long seed) {
        DataType dtype = model.encoders().get(0).dataType();
        return rule.laplace() ? Noise.standardLaplace(Seeds.derive(seed, 0), dtype, n, model.jointLatent())
                : Noise.standardNormal(Seeds.derive(seed, 0), dtype, n, model.jointLatent());
    }

    /** {@code n} joint samples: z from the prior, every modality decoded from the same z. */
    public static List<INDArray> prior(MultimodalVae model, PosteriorRule rule, int n, long seed) {
        return decodeAll(model, priorLatents(model, rule, n, seed));
    }

    /** One sample z ~ q(z | X_given) per row, every modality decoded from it. */
    public static List<INDArray> conditional(MultimodalVae model, PosteriorRule rule, Batch batch, List<String> given,
            long seed) {
        return decodeAll(model, posterior(model, rule, batch, given).sample(seed, 0, 1));
    }

    /** Reconstructions: every modality decoded at the mean of q(z | everything the row observes). */
    public static List<INDArray> reconstruct(MultimodalVae model, PosteriorRule rule, Batch batch) {
        List<String> all = model.dataModalities().stream().map(Modality::name).toList();
        return decodeAll(model, posterior(model, rule, batch, all).mean());
    }

    /**
     * A batch of {@code x.size(0)} rows that observe modality {@code modality} only, with values {@code x
     * [rows, size]}; every other modality is absent (zeros, presence 0). The input of conditional generation
     * from a value the user gives (a class, an image file).
     */
    public static Batch observing(MultimodalVae model, int modality, INDArray x) {
        int rows = (int) x.size(0);
        List<INDArray> tensors = new ArrayList<>();
        for (int j = 0; j < model.modalities().size(); j++) {
            tensors.add(j == modality ? x.castTo(DataType.FLOAT)
                    : Nd4j.zeros(DataType.FLOAT, rows, model.modalities().get(j).size()));
        }
        INDArray presence = Nd4j.zeros(DataType.FLOAT, rows, model.modalities().size());      // [rows, M]
        presence.getColumn(modality).assign(1.0);
        return new Batch(0, model.modalities(), tensors, presence, null);
    }

    /** The indices of the named modalities in model order, without repeats; the error lists the valid names. */
    public static int[] indices(MultimodalVae model, List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("modality subset: empty, expected one or more of "
                    + model.modalities().stream().map(Modality::name).toList());
        }
        return names.stream().mapToInt(n -> Modality.indexOf(model.modalities(), n, "the model"))
                .distinct().sorted().toArray();
    }
}
