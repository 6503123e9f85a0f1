package chorus.models.joint;

import chorus.data.Batch;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.likelihood.EncoderOnly;
import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.Architecture;
import chorus.models.nn.arch.Networks;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The joint encoder q(z | x_1, ..., x_M) as one more modality of the model, so that every driver (the
 * {@code ReferenceModel}, the actor system with its placement, replicas and cluster, checkpoints) runs it
 * as an encoder of its own: the dataset's M modalities are followed by a modality named {@link #NAME}
 * whose row is the M modalities' values side by side ({@code [S]}, S = sum_m size_m) and whose presence is
 * 1 only where the row observes all M (a row lacking one of them gets no joint expert). Its encoder is an
 * MLP of {@code concat-hidden}; its decoder is the one-output layer that an {@link EncoderOnly} modality
 * carries and no term requests.
 */
public final class JointInput {

    /** The joint encoder's modality name (its workers are {@code chorus.workers.joint}). */
    public static final String NAME = "joint";

    private JointInput() {
    }

    /** The joint modality over {@code modalities}: ATTRIBUTES of shape {@code [S]}, read only by the joint encoder. */
    public static Modality modality(List<Modality> modalities) {
        if (modalities.isEmpty() || modalities.stream().anyMatch(m -> m.name().equals(NAME))) {
            throw new IllegalArgumentException("joint encoder over " + modalities.stream().map(Modality::name).toList()
                    + ": expected one or more modalities, none named '" + NAME + "'");
        }
        int values = modalities.stream().mapToInt(Modality::size).sum();
        return new Modality(NAME, Modality.Kind.ATTRIBUTES, new int[] {values}, LikelihoodKind.GAUSSIAN);
    }

    /**
     * The batch with the joint modality appended: tensor {@code [B, S]} (the modalities' values, absent ones
     * 0) and presence column {@code [B]} = the product of the modalities' presences. Same step and rows; the
     * input's arrays are not modified.
     */
    public static Batch batch(Batch batch) {
        List<Modality> modalities = batch.modalities();
        DataType dtype = batch.tensors().get(0).dataType();
        INDArray presence = batch.presence().castTo(dtype);                           // [B, M]
        INDArray joint = batch.observedSideBySide(dtype);                             // [B, S]
        INDArray all = presence.min(true, 1);                                         // [B, 1]
        List<Modality> mods = new ArrayList<>(modalities);
        mods.add(modality(modalities));
        List<INDArray> tensors = new ArrayList<>(batch.tensors());
        tensors.add(joint);
        return new Batch(batch.step(), mods, tensors, Nd4j.hstack(batch.presence(), all.castTo(batch.presence().dataType())),
                batch.rows());
    }

    /**
     * The dataset's per-modality encoders and decoders ({@link ModelFactory#experts}, latent
     * {@code latent + private-latent}) plus the joint encoder {@code [S] -> 2 * jointLatent} of
     * {@code concat-hidden}, seeded by (seed, 2M), and its never-run decoder seeded by (seed, 2M + 1).
     */
    public static MultimodalVae model(ModelSettings s, List<Modality> modalities, NetworkOptions options, int jointLatent) {
        MultimodalVae experts = ModelFactory.experts(s, modalities, options);
        Modality joint = modality(modalities);
        int m = modalities.size();
        String mlp = Architecture.MLP.configName();
        Likelihood none = new EncoderOnly(NAME);
        Network encoder = Networks.encoder(joint, mlp, jointLatent, s.concatHidden(), options.withSeed(Seeds.derive(s.seed(), 2L * m)));
        Network decoder = Networks.decoder(joint, mlp, experts.latent(), List.of(), none.paramSize(joint.size()),
                options.withSeed(Seeds.derive(s.seed(), 2L * m + 1)));
        List<Modality> mods = new ArrayList<>(modalities);
        mods.add(joint);
        List<Network> enc = new ArrayList<>(experts.encoders());
        enc.add(encoder);
        List<Network> dec = new ArrayList<>(experts.decoders());
        dec.add(decoder);
        List<Likelihood> lik = new ArrayList<>(experts.likelihoods());
        lik.add(none);
        return new MultimodalVae(mods, enc, dec, lik, experts.latent(), experts.privateLatent());
    }
}
