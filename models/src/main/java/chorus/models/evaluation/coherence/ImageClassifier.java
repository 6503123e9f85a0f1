package chorus.models.evaluation.coherence;

import chorus.data.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The judge of cross-modal coherence (Shi et al. 2019, MMVAE, Sect. 5: generated images are classified
 * by a classifier trained on the real ones): a small fully connected network, images {@code [N, pixels]}
 * in [0, 1] to class probabilities, trained deterministically (fixed seed, fixed epochs, batches in a
 * seeded order) on a dataset's training split.
 *
 * <p>Training it takes seconds to minutes, so it is cached as a DL4J zip named by the dataset and a hash
 * of the settings and the training data's size and labels; a second request with the same inputs loads
 * the file instead of training. A cache file that cannot be read is replaced.
 */
public final class ImageClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(ImageClassifier.class);

    /**
     * How the classifier is built and trained.
     *
     * @param hidden       widths of the ReLU hidden layers
     * @param epochs       passes over the training images
     * @param batchSize    images per Adam step
     * @param learningRate Adam's step size
     * @param seed         seeds the weights and the order of the batches
     */
    public record Settings(List<Integer> hidden, int epochs, int batchSize, double learningRate, long seed) {

        /** 784-256-10 for 28x28 images, three epochs: about 85% on Fashion-MNIST, 97% on MNIST. */
        public static final Settings DEFAULT = new Settings(List.of(256), 3, 100, 1e-3, 7);

        public Settings {
            hidden = List.copyOf(hidden);
            if (hidden.stream().anyMatch(h -> h < 1) || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("classifier settings " + hidden + ", " + epochs + " epochs, batch "
                        + batchSize + ", learning rate " + learningRate + ": expected positive sizes and rate");
            }
        }
    }

    private final MultiLayerNetwork net;
    private final boolean fromCache;

    private ImageClassifier(MultiLayerNetwork net, boolean fromCache) {
        this.net = net;
        this.fromCache = fromCache;
    }

    /** Trains on {@code images [N, pixels]} with classes {@code labels} in [0, classes). */
    public static ImageClassifier train(INDArray images, int[] labels, int classes, Settings s) {
        requireData(images, labels, classes);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(s.seed()).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .updater(new Adam(s.learningRate())).list();
        long in = images.size(1);
        for (int width : s.hidden()) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(width).activation(Activation.RELU).build());
            in = width;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        INDArray x = images.castTo(DataType.FLOAT);
        INDArray y = oneHot(labels, classes);                                            // [N, C]
        int n = labels.length;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            int[] order = Seeds.permutation(n, Seeds.derive(s.seed(), epoch));
            for (int from = 0; from < n; from += s.batchSize()) {
                int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + s.batchSize()));
                net.fit(new DataSet(Nd4j.pullRows(x, 1, rows), Nd4j.pullRows(y, 1, rows)));
            }
        }
        return new ImageClassifier(net, false);
    }

    /**
     * The classifier for this training data and settings: read from {@code dir} when it holds one, else
     * trained and written there.
     */
    public static ImageClassifier cached(Path dir, String dataset, INDArray images, int[] labels, int classes,
            Settings s) {
        Path file = cacheFile(dir, dataset, images, labels, classes, s);
        if (Files.isRegularFile(file)) {
            try {
                return new ImageClassifier(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false), true);
            } catch (IOException | RuntimeException e) {
                LOG.warn("classifier cache {} unreadable ({}); training a new one", file, e.toString());
            }
        }
        ImageClassifier trained = train(images, labels, classes, s);
        trained.save(file);
        return trained;
    }

    /** {@code dir/<dataset>-<hash>.zip}, the hash over the settings and the data's size, classes and labels. */
    public static Path cacheFile(Path dir, String dataset, INDArray images, int[] labels, int classes, Settings s) {
        requireData(images, labels, classes);
        CRC32 crc = new CRC32();
        for (int label : labels) {
            crc.update(label);
        }
        String key = s + ";rows=" + labels.length + ";pixels=" + images.size(1) + ";classes=" + classes
                + ";labels=" + Long.toHexString(crc.getValue());
        return dir.resolve(dataset + "-" + sha256(key).substring(0, 12) + ".zip");
    }

    /** {@code ~/.chorus/classifiers}, where classifiers are cached unless the caller names a directory. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".chorus", "classifiers");
    }

    /** Whether this instance was read from the cache rather than trained. */
    public boolean fromCache() {
        return fromCache;
    }

    /** Class probabilities {@code [N, C]} of {@code images [N, pixels]}. */
    public INDArray probabilities(INDArray images) {
        return net.output(images.castTo(DataType.FLOAT), false);
    }

    /**
     * The activations of the last hidden layer {@code [N, hidden]} of {@code images [N, pixels]}: the feature
     * space of the Fréchet distance ({@code samples.FrechetDistance}); the inputs themselves for a linear
     * classifier.
     */
    public INDArray features(INDArray images) {
        List<INDArray> acts = net.feedForward(images.castTo(DataType.FLOAT), false);     // input, then each layer
        return acts.get(net.getnLayers() - 1);
    }

    /** The most probable class of each image. */
    public int[] predict(INDArray images) {
        return probabilities(images).argMax(1).toIntVector();
    }

    /** The fraction of {@code images} whose predicted class is {@code labels}. */
    public double accuracy(INDArray images, int[] labels) {
        int[] predicted = predict(images);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** A copy of the flat weights (to compare two instances). */
    public INDArray params() {
        return net.params().dup();
    }

    /** Writes the network to {@code file} through a temporary file and a rename, so no reader sees half of it. */
    public void save(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            try {
                ModelSerializer.writeModel(net, tmp.toFile(), false);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("classifier " + file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static INDArray oneHot(int[] labels, int classes) {
        float[] values = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            values[i * classes + labels[i]] = 1f;
        }
        return Nd4j.create(values, new long[] {labels.length, classes}, DataType.FLOAT);
    }

    private static void requireData(INDArray images, int[] labels, int classes) {
        if (images.rank() != 2 || labels == null || images.size(0) != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("classifier data: images " + java.util.Arrays.toString(images.shape())
                    + " and " + (labels == null ? "no" : labels.length) + " labels, expected [N, pixels] and N >= 1 labels");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("classifier data: label " + label + ", expected 0.." + (classes - 1));
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
