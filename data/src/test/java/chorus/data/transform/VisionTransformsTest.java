package chorus.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataException;
import chorus.data.DataFixtures;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.StoredSplit;
import chorus.data.celeba.CelebASettings;
import chorus.data.generated.MultiMnistSettings;
import chorus.data.generated.PolyMnist;
import chorus.data.generated.PolyMnistSettings;
import chorus.data.svhn.MnistSvhnSettings;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VisionTransformsTest {

    private static final Modality RGB = Modality.image("image", 3, 8, 8, LikelihoodKind.LAPLACE);
    private static final List<String> ALL = VisionTransforms.KNOWN;

    /** {@code n} rows of an 8x8 RGB image whose pixels vary with row, channel and position, and a label. */
    private static Dataset rgb(int n, String split) {
        float[] pixels = new float[n * RGB.size()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = ((i * 37) % 255) / 255f;
        }
        INDArray images = Nd4j.create(pixels, new long[] {n, RGB.size()}, DataType.FLOAT);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 2);
        return Dataset.fullyObserved("tiny", split, "here", List.of(RGB, Modality.categorical("label", 2)),
                List.of(images, labels), new int[n]);
    }

    @Test
    void everyTransformBecomesAModalityAfterTheDatasetsOwn() {
        Dataset out = VisionTransforms.apply(rgb(3, "train"), ALL, 1);
        assertEquals(List.of("image", "label", "grayscale", "edges", "masked", "watermark", "noisy"),
                out.modalities().stream().map(Modality::name).toList());
        assertArrayEquals(new int[] {1, 8, 8}, out.modalities().get(2).shape());
        assertArrayEquals(new int[] {3, 8, 8}, out.modalities().get(4).shape());
        assertEquals(LikelihoodKind.LAPLACE, out.modalities().get(6).likelihood());
        assertEquals(VisionTransforms.modalities(rgb(1, "train").modalities(), ALL, "tiny"), out.modalities());
    }

    @Test
    void grayscaleIsTheLuminanceToWithinOneLevel() {
        Dataset in = rgb(2, "train");
        Dataset out = VisionTransforms.apply(in, List.of("grayscale"), 1);
        for (int p : new int[] {0, 17, 63}) {
            double y = 0.299 * in.data(0).getDouble(1, p) + 0.587 * in.data(0).getDouble(1, 64 + p)
                    + 0.114 * in.data(0).getDouble(1, 128 + p);
            assertEquals(y, out.data(2).getDouble(1, p), 1.0 / 255, "pixel " + p);
        }
    }

    @Test
    void edgesOfAFlatImageAreZeroAndOfAStepAreOne() {
        float[] flat = new float[64];
        java.util.Arrays.fill(flat, 0.6f);
        assertEquals(0f, max(ImageTransforms.edges(flat, 8, 8)), 1e-6);
        float[] step = new float[64];
        for (int y = 0; y < 8; y++) {
            java.util.Arrays.fill(step, y * 8 + 4, y * 8 + 8, 1f);
        }
        float[] e = ImageTransforms.edges(step, 8, 8);
        assertEquals(1f, e[3 * 8 + 4], 1e-6); // gradient 4 across the step, clipped to 1
        assertEquals(0f, e[3 * 8 + 1], 1e-6);
    }

    @Test
    void maskedBlacksOutASquareOfHalfTheSideInEveryChannel() {
        float[] image = new float[3 * 64];
        java.util.Arrays.fill(image, 1f);
        float[] out = ImageTransforms.masked(image, 3, 8, 8, new SplittableRandom(5));
        int zeros = 0;
        for (float v : out) {
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(3 * 4 * 4, zeros);
    }

    @Test
    void randomTransformsAreSeededPerRowAndSplit() {
        Dataset a = VisionTransforms.apply(rgb(4, "train"), List.of("masked", "noisy"), 9);
        Dataset b = VisionTransforms.apply(rgb(4, "train"), List.of("masked", "noisy"), 9);
        Dataset c = VisionTransforms.apply(rgb(4, "test"), List.of("masked", "noisy"), 9);
        assertEquals(a.data(3), b.data(3));
        assertTrue(!a.data(3).equals(c.data(3)), "test rows draw their own noise");
    }

    @Test
    void aRowWithoutTheSourceLacksItsTransformsToo() {
        Dataset in = rgb(3, "train");
        INDArray presence = Nd4j.ones(DataType.FLOAT, 3, 2);
        presence.putScalar(1, 0, 0f);
        Dataset out = VisionTransforms.apply(in.withPresence(presence), List.of("edges", "watermark"), 1);
        assertEquals(Nd4j.create(new float[] {1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1}, new long[] {3, 4}), out.presence());
    }

    @Test
    void anUnknownTransformListsTheKnownOnesNamingTheKey() {
        DataException e = assertThrows(DataException.class, () -> DataSettings.from(ConfigFactory.parseString(
                "chorus.data { dataset = polymnist, path = \"\", download = false, batch-size = 10, seed = 1, missing {},"
                        + " transforms = [grayscale, blur] }")));
        assertEquals("chorus.data.transforms: unknown transform 'blur', expected some of grayscale, edges, masked,"
                + " watermark, noisy", e.getMessage());
    }

    @Test
    void aTransformListedTwiceIsRefused() {
        DataException e = assertThrows(DataException.class, () -> VisionTransforms.check(List.of("edges", "edges")));
        assertTrue(e.getMessage().startsWith("chorus.data.transforms: transform 'edges' listed twice"), e.getMessage());
    }

    @Test
    void aDatasetWithoutImagesCannotBeTransformed() {
        DataException e = assertThrows(DataException.class, () -> VisionTransforms.modalities(
                List.of(Modality.categorical("label", 3)), List.of("edges"), "labels-only"));
        assertEquals("chorus.data.transforms: dataset labels-only has no image modality to transform", e.getMessage());
    }

    @Test
    void polymnistWithOneModalityAndTransformsKnowsItsModalitiesAndStorage() {
        DataSettings settings = new DataSettings(PolyMnist.NAME, "", false, 10, 1, Map.of(), CelebASettings.DEFAULT, MultiMnistSettings.DEFAULT,
                new PolyMnistSettings(1, 256, 1), MnistSvhnSettings.DEFAULT, List.of("grayscale", "masked"));
        assertEquals(List.of("m0", "grayscale", "masked"), Datasets.modalities(settings).stream().map(Modality::name).toList());
        StoredSplit stored = new Datasets(DataFixtures.locator(null, java.nio.file.Path.of("/nonexistent"),
                java.nio.file.Path.of("/nonexistent"))).stored(settings, "test");
        assertEquals(List.of(DataType.UINT8, DataType.UINT8, DataType.UINT8), stored.types());
        assertEquals(2000, stored.rows());
    }

    private static float max(float[] values) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
