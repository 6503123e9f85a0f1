package chorus.models.concat;

import chorus.data.Batch;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.ModalitySettings;
import chorus.models.ModelFactory;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.Architecture;
import chorus.models.nn.arch.Networks;
import chorus.models.poe.ElboObjective;
import chorus.models.poe.ElboPlan;
import chorus.models.posterior.Subsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The vanilla VAE on concatenated modalities, the baseline of the MVAE paper (Wu &amp; Goodman 2018,
 * "VAE" in their tables; also in Shi et al. 2019): ONE encoder over every modality's values side by
 * side, ONE Gaussian posterior, ONE decoder emitting every modality's likelihood parameters, and the
 * objective
 * <pre>
 *   L = (1/B) sum_b [ - sum_{m observed in b} lambda_m log p_m(x_bm | z_b) + beta KL(q(z | x_b) || N(0, I)) ]
 * </pre>
 * where a row observing no modality contributes 0 (the sum is still divided by the batch size B, as in
 * every ELBO stage).
 *
 * <p>It is built so that the existing machinery ({@link ReferenceModel}, {@code ElboStage}, the actor
 * system) runs it unchanged: M modalities become ONE {@link #joint joint} modality, a batch becomes a
 * one-modality batch ({@link #batch}), and the per-modality likelihoods, weights and masks live in a
 * {@link Segmented} likelihood. A joint row is {@code [S + M]}: the M modalities' values (S in all,
 * absent ones filled with 0), then the M per-modality presence columns, which is how the segmented
 * likelihood masks absent modalities (see its Javadoc for why the mask travels in the data row). The
 * joint presence is 1 where the row observes at least one modality.
 *
 * <p>The posterior is the encoder's Gaussian itself: the one-term plan leaves the prior expert out
 * (with it the PoE machinery would return q * N(0, I), capping the posterior variance at 1).
 */
public final class Concatenation {

    /** The joint modality's name. */
    public static final String NAME = "joint";

    private Concatenation() {
    }

    /**
     * The one modality of the concatenated model: ATTRIBUTES of shape {@code [S + M]} with likelihood kind
     * SEGMENTED, scored by the {@link Segmented} likelihood that {@link #likelihood} builds from the
     * modalities' own.
     */
    public static Modality joint(List<Modality> modalities) {
        requireModalities(modalities);
        int values = modalities.stream().mapToInt(Modality::size).sum();
        return new Modality(NAME, Modality.Kind.ATTRIBUTES, new int[] {values + modalities.size()}, LikelihoodKind.SEGMENTED);
    }

    /** Whether {@code model} is a concatenated VAE: one modality, whose likelihood kind is SEGMENTED. */
    public static boolean isConcatenated(MultimodalVae model) {
        return model.modalities().size() == 1 && model.modalities().get(0).likelihood() == LikelihoodKind.SEGMENTED;
    }

    /**
     * The one-modality batch: tensor {@code [B, S + M]} (values of absent modalities set to 0, then the
     * presence mask), presence {@code [B, 1]} = 1 where the row observes any modality; same step and rows.
     * The input's arrays are not modified.
     */
    public static Batch batch(Batch batch) {
        List<Modality> modalities = batch.modalities();
        DataType dtype = batch.tensors().get(0).dataType();
        INDArray presence = batch.presence().castTo(dtype);                           // [B, M]
        INDArray tensor = Nd4j.hstack(batch.observedSideBySide(dtype), presence.dup()); // [B, S + M]
        INDArray any = batch.presence().max(true, 1);                                 // [B, 1]
        return new Batch(batch.step(), List.of(joint(modalities)), List.of(tensor), any, batch.rows());
    }

    /** The per-modality columns of joint rows {@code [R, S + M]} (or {@code [R, S]}): {@code [R, size_m]} each, copies. */
    public static List<INDArray> split(List<Modality> modalities, INDArray joint) {
        requireJointRows(modalities, joint);
        List<INDArray> out = new ArrayList<>();
        int from = 0;
        for (Modality m : modalities) {
            out.add(joint.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + m.size())).dup()); // [R, size_m]
            from += m.size();
        }
        return List.copyOf(out);
    }

    /** The per-modality presence columns of joint rows {@code [R, S + M]}: {@code [R, M]}, a copy. */
    public static INDArray presence(List<Modality> modalities, INDArray joint) {
        int values = requireJointRows(modalities, joint);
        if (joint.size(1) != values + modalities.size()) {
            throw new IllegalArgumentException("joint rows: shape " + java.util.Arrays.toString(joint.shape())
                    + ", expected [R, " + (values + modalities.size()) + "] with presence columns");
        }
        return joint.get(NDArrayIndex.all(), NDArrayIndex.interval(values, values + modalities.size())).dup(); // [R, M]
    }

    /** Each modality's own likelihood (kind and scale from its settings) with weight lambda_m, in modality order. */
    public static Segmented likelihood(List<Modality> modalities, List<ModalitySettings> settings) {
        requireModalities(modalities);
        if (settings.size() != modalities.size()) {
            throw new IllegalArgumentException("concatenation: " + settings.size() + " modality settings for "
                    + modalities.size() + " modalities, expected one per modality");
        }
        List<Segmented.Segment> segments = new ArrayList<>();
        for (int j = 0; j < modalities.size(); j++) {
            ModalitySettings s = settings.get(j);
            segments.add(new Segmented.Segment(Likelihoods.of(modalities.get(j), s.likelihood(), s.scale()), modalities.get(j).size(), s.weight()));
        }
        return new Segmented(segments);
    }

    /**
     * The concatenated VAE as a one-modality {@link MultimodalVae}: an MLP encoder {@code [S + M] -> 2*latent}
     * and an MLP decoder {@code latent -> sum_m P_m}, seeded by (seed, 0) and (seed, 1) as
     * {@link ModelFactory} seeds modality 0. Of the settings only likelihood, scale and weight are used;
     * {@code hidden} serves both networks.
     */
    public static MultimodalVae model(List<Modality> modalities, List<ModalitySettings> settings, int latent,
                                      List<Integer> hidden, NetworkOptions options) {
        Modality joint = joint(modalities);
        Segmented likelihood = likelihood(modalities, settings);
        String mlp = Architecture.MLP.configName();
        Network encoder = Networks.encoder(joint, mlp, latent, hidden, options.withSeed(Seeds.derive(options.seed(), 0)));
        Network decoder = Networks.decoder(joint, mlp, latent, hidden, likelihood.paramSize(joint.size()),
                options.withSeed(Seeds.derive(options.seed(), 1)));
        return new MultimodalVae(List.of(joint), List.of(encoder), List.of(decoder), List.of(likelihood), latent);
    }

    /**
     * The objective: one ELBO term over the joint modality, no prior expert, lambda = 1 (the lambda_m are
     * in the {@link Segmented} likelihood); noise of step s is a function of (seed, s).
     */
    public static ElboObjective objective(long seed) {
        INDArray one = Nd4j.ones(DataType.DOUBLE, 1, 1);                              // [T=1, M=1]
        ElboPlan plan = new ElboPlan(one, one, Subsets.Rule.ANY_OBSERVED, false, false, List.of(NAME));
        return new ElboObjective(step -> plan, new double[] {1.0}, seed);
    }

    private static void requireModalities(List<Modality> modalities) {
        if (modalities == null || modalities.isEmpty()) {
            throw new IllegalArgumentException("concatenation: " + modalities + ", expected one or more modalities");
        }
        if (new HashSet<>(modalities.stream().map(Modality::name).toList()).size() != modalities.size()) {
            throw new IllegalArgumentException("concatenation: modality names " + modalities.stream().map(Modality::name).toList()
                    + ", expected distinct names");
        }
    }

    /** Checks joint rows hold at least the S values; returns S. */
    private static int requireJointRows(List<Modality> modalities, INDArray joint) {
        requireModalities(modalities);
        int values = modalities.stream().mapToInt(Modality::size).sum();
        if (joint == null || joint.rank() != 2 || (joint.size(1) != values && joint.size(1) != values + modalities.size())) {
            throw new IllegalArgumentException("joint rows: shape " + (joint == null ? "null" : java.util.Arrays.toString(joint.shape()))
                    + ", expected [R, " + values + "] or [R, " + (values + modalities.size()) + "]");
        }
        return values;
    }
}
