package chorus.data.generated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import chorus.data.Dataset;
import chorus.data.LabelledImages;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TwoViewsTest {

    private static float[] items(int n) {
        float[] p = new float[n * 784];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextDouble() < 0.3 ? (float) r.nextDouble() : 0f;
        }
        return p;
    }

    @Test
    void factorsAreAFunctionOfSeedSplitAndRowInTheirRanges() {
        double[][] a = TwoViews.factors(5, "train", 100);
        assertArrayEquals(a[7], TwoViews.factors(5, "train", 8)[7], 0.0);
        assertNotEquals(a[0][0], TwoViews.factors(5, "test", 1)[0][0]);
        for (double[] f : a) {
            assertEquals(true, f[0] >= -4 && f[0] < 4 && f[1] >= -45 && f[1] < 45 && f[2] >= 0.35 && f[2] < 1);
        }
    }

    @Test
    void identityTransformKeepsTheItemAndGainScalesIt() {
        float[] p = items(1);
        assertArrayEquals(p, TwoViews.transform(p, 0, 0, 0, 1), 1e-6f);
        float[] half = TwoViews.transform(p, 0, 0, 0, 0.5);
        for (int i = 0; i < p.length; i++) {
            assertEquals(0.5f * p[i], half[i], 1e-6f);
        }
    }

    /** A whole-pixel shift moves every column by that many pixels; a quarter turn sends the row above the centre to a column. */
    @Test
    void shiftAndRotationMovePixelsWhereExpected() {
        float[] p = new float[784];
        p[10 * 28 + 12] = 1f;                                                       // (x 12, y 10)
        assertEquals(1f, TwoViews.transform(p, 0, 3, 0, 1)[10 * 28 + 15], 1e-6f);  // x + 3
        float[] turned = TwoViews.transform(p, 0, 0, Math.PI / 2, 1);
        int at = 0;
        for (int i = 0; i < 784; i++) {
            at = turned[i] > turned[at] ? i : at;
        }
        // about the centre (13.5, 13.5): (x - c, y - c) = (-1.5, -3.5) -> (3.5, -1.5) for a +90 degree turn
        assertEquals(12 * 28 + 17, at);
    }

    @Test
    void viewsShareTheShiftAndKeepTheItemsClass() {
        Dataset items = LabelledImages.of("items", "test", "test", items(3), new int[] {4, 1, 7});
        Dataset two = TwoViews.of(items, 11);
        assertEquals(TwoViews.MODALITIES, two.modalities());
        assertArrayEquals(new int[] {4, 1, 7}, two.labels());
        double[][] f = TwoViews.factors(11, "test", 3);
        float[] expected = TwoViews.transform(items.data(0).data().asFloat(), 784, f[1][0], 0.0, f[1][2]);
        INDArray view2 = two.data(1).getRow(1);
        for (int i = 0; i < 784; i++) {
            assertEquals(Math.round(Math.max(0, Math.min(1, expected[i])) * 255) / 255f, view2.getFloat(i), 1e-6f);
        }
    }
}
