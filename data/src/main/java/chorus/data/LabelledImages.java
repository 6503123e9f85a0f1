package chorus.data;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two modalities shared by MNIST and Fashion-MNIST, a 28x28 grey image scored as Bernoulli
 * and its class as a 10-way one-hot, and the construction of a {@link Dataset} from flat pixels.
 */
public final class LabelledImages {

    /** Side of the square images. */
    public static final int SIDE = 28;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** The image: 1x28x28 in [0, 1], Bernoulli likelihood. */
    public static final Modality IMAGE = Modality.image("image", 1, SIDE, SIDE, LikelihoodKind.BERNOULLI);
    /** The class, one-hot over 10 values. */
    public static final Modality LABEL = Modality.categorical("label", CLASSES);
    /** Both modalities, in tensor order. */
    public static final List<Modality> MODALITIES = List.of(IMAGE, LABEL);

    private LabelledImages() {
    }

    /**
     * A fully observed dataset from IDX {@code pixels} (row-major unsigned bytes, {@code [N * 784]}), held as
     * UINT8 off the heap ({@link ByteImages}): a quarter of the floats' memory (47 MB instead of 188 MB for
     * Fashion-MNIST's training split); a batch reads its rows as {@code byte / 255f}, the same floats.
     */
    public static Dataset ofBytes(String name, String split, String source, byte[] pixels, int[] labels) {
        int n = labels.length;
        if (pixels.length != (long) n * IMAGE.size()) {
            throw new IllegalArgumentException(name + "/" + split + ": " + pixels.length + " pixels for " + n
                    + " labels, expected " + IMAGE.size() + " per label");
        }
        INDArray images = ByteImages.allocate(n, IMAGE.size(), name + "/" + split); // [N, 784] UINT8
        ByteImages.buffer(images).put(pixels);
        return Dataset.fullyObserved(name, split, source, MODALITIES, List.of(images, oneHot(labels)), labels);
    }

    /**
     * A fully observed dataset from {@code pixels} (row-major, {@code [N * 784]}, in [0, 1]) and the
     * class of each row.
     */
    public static Dataset of(String name, String split, String source, float[] pixels, int[] labels) {
        int n = labels.length;
        if (pixels.length != (long) n * IMAGE.size()) {
            throw new IllegalArgumentException(name + "/" + split + ": " + pixels.length + " pixels for " + n
                    + " labels, expected " + IMAGE.size() + " per label");
        }
        INDArray images = Nd4j.create(pixels, new long[] {n, IMAGE.size()}, DataType.FLOAT); // [N, 784]
        return Dataset.fullyObserved(name, split, source, MODALITIES, List.of(images, oneHot(labels)), labels);
    }

    private static INDArray oneHot(int[] labels) {
        float[] oneHot = new float[labels.length * CLASSES];
        for (int i = 0; i < labels.length; i++) {
            oneHot[i * CLASSES + labels[i]] = 1f;
        }
        return Nd4j.create(oneHot, new long[] {labels.length, CLASSES}, DataType.FLOAT); // [N, 10]
    }
}
