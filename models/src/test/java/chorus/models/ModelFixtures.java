package chorus.models;

import chorus.data.Batch;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.Networks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tiny multimodal models and batches for whole-model tests: an image (1x4x4, Bernoulli, MLP), a label
 * (3 classes, embedding) and a real-valued attribute vector (3 values, Gaussian scale 0.5, MLP).
 */
public final class ModelFixtures {

    public static final Modality IMAGE = Modality.image("image", 1, 4, 4, LikelihoodKind.BERNOULLI);
    public static final Modality LABEL = Modality.categorical("label", 3);
    public static final Modality FEATURES = new Modality("features", Modality.Kind.ATTRIBUTES, new int[] {3},
            LikelihoodKind.GAUSSIAN);
    public static final List<Modality> MODALITIES = List.of(IMAGE, LABEL, FEATURES);
    public static final int LATENT = 3;

    private ModelFixtures() {
    }

    /** A tiny three-modality model in {@code dtype}, weights from {@code seed}. */
    public static MultimodalVae model(long seed, DataType dtype) {
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        List<Likelihood> lik = new ArrayList<>();
        for (int j = 0; j < MODALITIES.size(); j++) {
            Modality m = MODALITIES.get(j);
            String arch = m.kind() == Modality.Kind.CATEGORICAL ? "embedding" : "mlp";
            NetworkOptions opts = NetworkOptions.of(seed + 17L * j).withDataType(dtype);
            Likelihood l = Likelihoods.of(m.likelihood(), 0.5);
            enc.add(Networks.encoder(m, arch, LATENT, List.of(5), opts));
            dec.add(Networks.decoder(m, arch, LATENT, List.of(5), l.paramSize(m.size()), opts.withSeed(seed + 17L * j + 7)));
            lik.add(l);
        }
        return new MultimodalVae(MODALITIES, enc, dec, lik, LATENT);
    }

    /** A batch of {@code rows} random rows with the given presence mask {@code [rows, 3]}. */
    public static Batch batch(long step, long seed, DataType dtype, double[][] presence) {
        int rows = presence.length;
        SplittableRandom r = new SplittableRandom(seed);
        INDArray mask = Nd4j.createFromArray(presence).castTo(dtype);
        INDArray image = Nd4j.create(dtype, rows, 16);
        INDArray label = Nd4j.zeros(dtype, rows, 3);
        INDArray features = Nd4j.create(dtype, rows, 3);
        for (int i = 0; i < rows; i++) {
            for (int p = 0; p < 16; p++) {
                image.putScalar(i, p, r.nextDouble());
            }
            label.putScalar(i, r.nextInt(3), 1.0);
            for (int p = 0; p < 3; p++) {
                features.putScalar(i, p, r.nextGaussian());
            }
        }
        List<INDArray> tensors = List.of(image.mulColumnVector(mask.getColumn(0).dup()),
                label.mulColumnVector(mask.getColumn(1).dup()), features.mulColumnVector(mask.getColumn(2).dup()));
        int[] idx = new int[rows];
        java.util.Arrays.setAll(idx, i -> i);
        return new Batch(step, MODALITIES, tensors, mask, idx);
    }

    /** A float dataset of {@code rows} random rows (the {@link #batch} distribution), every modality observed. */
    public static chorus.data.Dataset dataset(String split, int rows, long seed) {
        double[][] all = new double[rows][];
        java.util.Arrays.setAll(all, i -> new double[] {1, 1, 1});
        Batch b = batch(0, seed, DataType.FLOAT, all);
        return chorus.data.Dataset.fullyObserved("tiny", split, "ModelFixtures", MODALITIES, b.tensors(), null);
    }

    /** A sequence of 3 positions over 4 tokens (3: padding), for the models with a sequence modality. */
    public static final Modality TEXT = Modality.sequence("text", 3, 4);
    /** An image and a sequence. */
    public static final List<Modality> SEQUENCE_MODALITIES = List.of(IMAGE, TEXT);

    /** A tiny image (MLP) + sequence (GRU) model in {@code dtype}, weights from {@code seed}. */
    public static MultimodalVae sequenceModel(long seed, DataType dtype) {
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        List<Likelihood> lik = new ArrayList<>();
        for (int j = 0; j < SEQUENCE_MODALITIES.size(); j++) {
            Modality m = SEQUENCE_MODALITIES.get(j);
            String arch = m.kind() == Modality.Kind.SEQUENCE ? "gru" : "mlp";
            List<Integer> hidden = m.kind() == Modality.Kind.SEQUENCE ? List.of(3, 4) : List.of(5);
            NetworkOptions opts = NetworkOptions.of(seed + 17L * j).withDataType(dtype);
            Likelihood l = Likelihoods.of(m, m.likelihood(), 0.5);
            enc.add(Networks.encoder(m, arch, LATENT, hidden, opts));
            dec.add(Networks.decoder(m, arch, LATENT, hidden, l.paramSize(m.size()), opts.withSeed(seed + 17L * j + 7)));
            lik.add(l);
        }
        return new MultimodalVae(SEQUENCE_MODALITIES, enc, dec, lik, LATENT);
    }

    /** Rows of an image and a text of 0 to 3 random tokens, padded, with the given presence mask {@code [rows, 2]}. */
    public static Batch sequenceBatch(long step, long seed, DataType dtype, double[][] presence) {
        int rows = presence.length;
        SplittableRandom r = new SplittableRandom(seed);
        INDArray mask = Nd4j.createFromArray(presence).castTo(dtype);
        INDArray image = Nd4j.create(dtype, rows, 16);
        INDArray text = Nd4j.zeros(dtype, rows, 12);
        for (int i = 0; i < rows; i++) {
            for (int p = 0; p < 16; p++) {
                image.putScalar(i, p, r.nextDouble());
            }
            int length = i % 4; // 0..3 tokens: every row length, padding after
            for (int t = 0; t < 3; t++) {
                text.putScalar(i, 4L * t + (t < length ? r.nextInt(3) : 3), 1.0);
            }
        }
        List<INDArray> tensors = List.of(image.mulColumnVector(mask.getColumn(0).dup()),
                text.mulColumnVector(mask.getColumn(1).dup()));
        int[] idx = new int[rows];
        java.util.Arrays.setAll(idx, i -> i);
        return new Batch(step, SEQUENCE_MODALITIES, tensors, mask, idx);
    }

    /** Five rows of image and text: both, both, text only, image only, both. */
    public static double[][] sequencePresence() {
        return new double[][] {{1, 1}, {1, 1}, {0, 1}, {1, 0}, {1, 1}};
    }

    /** Five rows: all observed, then rows missing the label, the image, the features, and two modalities. */
    public static double[][] someMissing() {
        return new double[][] {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 0}, {0, 0, 1}};
    }

    /** Four fully observed rows. */
    public static double[][] allObserved() {
        return new double[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
    }
}
