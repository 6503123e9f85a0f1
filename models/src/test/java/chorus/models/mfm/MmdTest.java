package chorus.models.mfm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The MMD estimate against values computed by hand, and its gradient against central finite differences. */
class MmdTest {

    /**
     * 1-D codes {0, 1}, prior samples {0, 2}, C = 2: IMQ k(r) = 2 / (2 + r). xx: k(1) = 2/3 (both ordered pairs, / 2);
     * yy: k(4) = 1/3; xy: k(0) + k(4) + k(1) + k(1) = 1 + 1/3 + 4/3 = 8/3, times 2/(2*2) = 4/3. MMD^2 = 2/3 + 1/3 - 4/3.
     */
    @Test
    void imqValueMatchesTheHandComputedOne() {
        Mmd.Result r = Mmd.of(new double[][] {{0}, {1}}, new double[][] {{0}, {2}}, MmdKernel.IMQ);
        assertEquals(2.0 / 3 + 1.0 / 3 - 4.0 / 3, r.value(), 1e-15);
    }

    /** The same points with RBF exp(-r / 2): (e^-1/2 + e^-2 - (1 + e^-2 + 2 e^-1/2)) in the same weights. */
    @Test
    void rbfValueMatchesTheHandComputedOne() {
        Mmd.Result r = Mmd.of(new double[][] {{0}, {1}}, new double[][] {{0}, {2}}, MmdKernel.RBF);
        double half = Math.exp(-0.5);
        double two = Math.exp(-2);
        assertEquals(half + two - 0.5 * (1 + two + 2 * half), r.value(), 1e-15);
    }

    /** Two 2-D codes against two prior samples: every kernel evaluation written out (IMQ, C = 4). */
    @Test
    void twoDimensionalValueMatchesTheHandComputedOne() {
        double[][] x = {{1, 0}, {0, 1}};
        double[][] y = {{0, 0}, {1, 1}};
        double k = 4.0 / (4 + 2);        // |x1 - x2|^2 = 2; |y1 - y2|^2 = 2
        double xy = 4.0 / (4 + 1);       // every code is at distance 1 from both prior samples
        assertEquals(k + k - 2 * xy, Mmd.of(x, y, MmdKernel.IMQ).value(), 1e-15);
    }

    @Test
    void gradientMatchesFiniteDifferencesForBothKernels() {
        SplittableRandom random = new SplittableRandom(3);
        for (MmdKernel kernel : MmdKernel.values()) {
            double[][] x = gaussian(random, 6, 3, 1.5);
            double[][] y = gaussian(random, 7, 3, 1.0);
            double[][] dx = Mmd.of(x, y, kernel).dx();
            double h = 1e-6;
            for (int a = 0; a < x.length; a++) {
                for (int d = 0; d < 3; d++) {
                    double keep = x[a][d];
                    x[a][d] = keep + h;
                    double up = Mmd.of(x, y, kernel).value();
                    x[a][d] = keep - h;
                    double down = Mmd.of(x, y, kernel).value();
                    x[a][d] = keep;
                    assertEquals((up - down) / (2 * h), dx[a][d], 1e-8, kernel + " d/dx[" + a + "][" + d + "]");
                }
            }
        }
    }

    /** Codes drawn from the prior itself give an estimate near 0 (the U-statistic is unbiased), far codes a large one. */
    @Test
    void codesFromThePriorScoreFarLessThanShiftedCodes() {
        SplittableRandom random = new SplittableRandom(5);
        double[][] prior = gaussian(random, 200, 2, 1.0);
        double same = Mmd.of(gaussian(random, 200, 2, 1.0), prior, MmdKernel.IMQ).value();
        double[][] shifted = gaussian(random, 200, 2, 1.0);
        for (double[] row : shifted) {
            row[0] += 3;
        }
        double far = Mmd.of(shifted, prior, MmdKernel.IMQ).value();
        assertEquals(0.0, same, 0.01);
        assertEquals(true, far > 20 * Math.abs(same) && far > 0.1, "far " + far + ", same " + same);
    }

    @Test
    void fewerThanTwoCodesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Mmd.of(new double[][] {{0}}, new double[][] {{0}, {1}}, MmdKernel.IMQ));
    }

    private static double[][] gaussian(SplittableRandom random, int n, int d, double scale) {
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int k = 0; k < d; k++) {
                double u = random.nextDouble();
                double v = random.nextDouble();
                row[k] = scale * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
            }
        }
        return out;
    }
}
