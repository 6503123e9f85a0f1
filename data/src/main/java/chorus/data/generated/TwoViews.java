package chorus.data.generated;

import chorus.data.ByteImages;
import chorus.data.Dataset;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.Seeds;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code twoviews}: a two-view dataset with known generative factors, the stand-in for the 3D-faces data of
 * the MuMo-VAE / MMPoE notes. Every Fashion-MNIST item becomes two 28x28 views that share the identity (the
 * item; its class is the identity factor evaluation can score) and a horizontal shift (the shared "pose",
 * identical in both views), while view 1 has a private rotation and view 2 a private brightness:
 * <ul>
 *   <li>{@code shift} in [-4, 4] pixels (shared), uniform;</li>
 *   <li>{@code rotation} in [-45, 45] degrees (view 1 only), uniform;</li>
 *   <li>{@code brightness} in [0.35, 1] (view 2 only: its intensities are multiplied by it), uniform.</li>
 * </ul>
 * The factors of row i of a split are a function of (seed, split, i) alone ({@link #factors}), so they are
 * stored with the row in the sense that evaluation recomputes exactly the values the views were drawn with.
 * View 1 is the item rotated about the image centre and then shifted; view 2 the item shifted, then dimmed;
 * both by bilinear interpolation, 0 outside the item. Both views are Bernoulli images held as bytes.
 */
public final class TwoViews {

    /** {@code chorus.data.dataset = twoviews}. */
    public static final String NAME = "twoviews";
    /** View 1 (private factor: rotation). */
    public static final Modality VIEW1 = Modality.image("view1", 1, 28, 28, LikelihoodKind.BERNOULLI);
    /** View 2 (private factor: brightness). */
    public static final Modality VIEW2 = Modality.image("view2", 1, 28, 28, LikelihoodKind.BERNOULLI);
    public static final List<Modality> MODALITIES = List.of(VIEW1, VIEW2);
    /** The continuous factors in {@link Factors} column order; the identity (class) is the dataset's label. */
    public static final List<String> FACTORS = List.of("shift", "rotation", "brightness");
    /** Which views each continuous factor shapes: shared, view 1 only, view 2 only. */
    public static final List<String> FACTOR_SCOPE = List.of("shared", "view1", "view2");

    private static final long FACTOR_STREAM = 7_331L;
    private static final int SIDE = 28;
    private static final int CHUNK = 1000;

    private TwoViews() {
    }

    /**
     * The factors of every row: {@code values[i] = {shift, rotation, brightness}} and the identity class.
     *
     * @param values   {@code [N][3]} in {@link #FACTORS} order
     * @param identity the item's class per row
     */
    public record Factors(double[][] values, int[] identity) {
    }

    /** The continuous factors of the {@code n} rows of {@code split}, drawn from (seed, split). */
    public static double[][] factors(long seed, String split, int n) {
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, FACTOR_STREAM + (split.equals("train") ? 0 : 1)));
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[] {r.nextDouble(-4, 4), r.nextDouble(-45, 45), r.nextDouble(0.35, 1.0)};
        }
        return out;
    }

    /** The factors of a {@code twoviews} split made by {@link #of} with the same seed. */
    public static Factors factors(Dataset twoViews, long seed) {
        return new Factors(factors(seed, twoViews.split(), twoViews.size()), twoViews.labels());
    }

    /** The two-view dataset of a Fashion-MNIST (or MNIST) split: images of modality 0, classes as labels. */
    public static Dataset of(Dataset items, long seed) {
        int n = items.size();
        double[][] f = factors(seed, items.split(), n);
        INDArray view1 = ByteImages.allocate(n, SIDE * SIDE, NAME + "/" + items.split() + "/view1"); // [N, 784] UINT8
        INDArray view2 = ByteImages.allocate(n, SIDE * SIDE, NAME + "/" + items.split() + "/view2");
        ByteBuffer out1 = ByteImages.buffer(view1);
        ByteBuffer out2 = ByteImages.buffer(view2);
        for (int start = 0; start < n; start += CHUNK) { // in chunks: the items are bytes, their floats would be 4x
            int[] rows = java.util.stream.IntStream.range(start, Math.min(n, start + CHUNK)).toArray();
            float[] pixels = items.batch(0, rows).tensors().get(0).castTo(DataType.FLOAT).dup('c').data().asFloat(); // [R * 784]
            for (int i = 0; i < rows.length; i++) {
                double[] fi = f[rows[i]];
                put(out1, transform(pixels, i * SIDE * SIDE, fi[0], Math.toRadians(fi[1]), 1.0));
                put(out2, transform(pixels, i * SIDE * SIDE, fi[0], 0.0, fi[2]));
            }
        }
        return Dataset.fullyObserved(NAME, items.split(), items.source() + " (two views, factor seed " + seed + ")",
                MODALITIES, List.of(view1, view2), items.labels());
    }

    /** One view: output pixel (x, y) reads the item at the inverse of (rotate by angle, then shift by dx), times gain. */
    static float[] transform(float[] pixels, int from, double dx, double angle, double gain) {
        double c = (SIDE - 1) / 2.0;
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] out = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double px = x - dx - c;
                double py = y - c;
                double u = cos * px + sin * py + c;   // rotate back by -angle
                double v = -sin * px + cos * py + c;
                out[y * SIDE + x] = (float) (gain * bilinear(pixels, from, u, v));
            }
        }
        return out;
    }

    private static double bilinear(float[] p, int from, double u, double v) {
        int u0 = (int) Math.floor(u);
        int v0 = (int) Math.floor(v);
        double fu = u - u0;
        double fv = v - v0;
        return (1 - fu) * (1 - fv) * at(p, from, u0, v0) + fu * (1 - fv) * at(p, from, u0 + 1, v0)
                + (1 - fu) * fv * at(p, from, u0, v0 + 1) + fu * fv * at(p, from, u0 + 1, v0 + 1);
    }

    private static double at(float[] p, int from, int u, int v) {
        return u < 0 || v < 0 || u >= SIDE || v >= SIDE ? 0.0 : p[from + v * SIDE + u];
    }

    private static void put(ByteBuffer out, float[] view) {
        for (float value : view) {
            out.put((byte) Math.round(Math.max(0f, Math.min(1f, value)) * 255f));
        }
    }
}
