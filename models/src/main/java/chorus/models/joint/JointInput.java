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
import java.util.Set;
import java.util.stream.IntStream;
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

    /** The batch with the joint modality over every modality appended ({@link #batch(Batch, Set)} reading all). */
    public static Batch batch(Batch batch) {
        return batch(batch, Set.of());
    }

    /**
     * The batch with the joint modality appended: tensor {@code [B, S]} (the values of the modalities it reads, side
     * by side, absent ones 0) and presence column {@code [B]} = the product of those modalities' presences. Same
     * step and rows; the input's arrays are not modified.
     *
     * @param notRead the names of the modalities the joint encoder does not read (MFM: the label it predicts)
     */
    public static Batch batch(Batch batch, Set<String> notRead) {
        Batch reads = reads(batch, notRead);
        DataType dtype = batch.tensors().get(0).dataType();
        INDArray joint = reads.observedSideBySide(dtype);                             // [B, S]
        INDArray all = reads.presence().castTo(dtype).min(true, 1);                   // [B, 1]
        List<Modality> mods = new ArrayList<>(batch.modalities());
        mods.add(modality(reads.modalities()));
        List<INDArray> tensors = new ArrayList<>(batch.tensors());
        tensors.add(joint);
        return new Batch(batch.step(), mods, tensors, Nd4j.hstack(batch.presence(), all.castTo(batch.presence().dataType())),
                batch.rows());
    }

    /** The batch's modalities the joint encoder reads (all but {@code notRead}), with their tensors and presence. */
    static Batch reads(Batch batch, Set<String> notRead) {
        int[] idx = IntStream.range(0, batch.modalities().size())
                .filter(j -> !notRead.contains(batch.modalities().get(j).name())).toArray();
        if (idx.length == 0 || idx.length + notRead.size() != batch.modalities().size()) {
            throw new IllegalArgumentException("joint encoder over " + batch.modalities().stream().map(Modality::name).toList()
                    + " without " + notRead + ": expected to leave out only modalities of the batch and read at least one");
        }
        List<Modality> mods = IntStream.of(idx).mapToObj(batch.modalities()::get).toList();
        List<INDArray> tensors = IntStream.of(idx).mapToObj(batch.tensors()::get).toList();
        INDArray presence = batch.presence().getColumns(idx);                         // [B, |reads|]
        return new Batch(batch.step(), mods, tensors, presence, batch.rows());
    }

    /**
     * The dataset's per-modality encoders and decoders ({@link ModelFactory#experts}, latent
     * {@code latent + private-latent}) plus the joint encoder {@code [S] -> 2 * jointLatent} of
     * {@code concat-hidden}, seeded by (seed, 2M), and its never-run decoder seeded by (seed, 2M + 1).
     */
    public static MultimodalVae model(ModelSettings s, List<Modality> modalities, NetworkOptions options, int jointLatent) {
        return model(s, modalities, modalities, options, jointLatent);
    }

    /** As {@link #model(ModelSettings, List, NetworkOptions, int)} with a joint encoder over {@code reads} only. */
    public static MultimodalVae model(ModelSettings s, List<Modality> modalities, List<Modality> reads, NetworkOptions options,
                                      int jointLatent) {
        MultimodalVae experts = ModelFactory.experts(s, modalities, options);
        Modality joint = modality(reads);
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
