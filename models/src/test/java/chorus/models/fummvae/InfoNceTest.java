package chorus.models.fummvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import chorus.models.posterior.Gaussian;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The notes' InfoNCE term: hand-computed values and its backward against finite differences in double. */
class InfoNceTest {

    private static final double[] UPSTREAM = {0.7, -1.3, 2.1};

    @Test
    void equalDensitiesGiveTwiceLogFourPerDimension() {
        // all four densities are phi(0): softmax 1/4 each, CE = -(log 1/4 + log 1/4)
        Gaussian same = new Gaussian(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3), Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3));
        double[] ce = InfoNce.perRow(same, same, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3), Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3));
        assertArrayEquals(new double[] {6 * Math.log(4), 6 * Math.log(4)}, ce, 1e-12);
    }

    @Test
    void matchesTheDensitiesWorkedByHand() {
        // q = N(0.5, 1), u = N(-0.5, 2^2), eps_q = 1, eps_u = 0.5: z_q = 1.5, z_u = 0.5;
        // p1 = phi(1), p2 = phi(0.5)/2, p3 = u(1.5) = phi(1)/2, p4 = q(0.5) = phi(0)
        Gaussian q = new Gaussian(MathFixtures.matrix(new double[] {0.5}), MathFixtures.matrix(new double[] {0.0}));
        Gaussian u = new Gaussian(MathFixtures.matrix(new double[] {-0.5}), MathFixtures.matrix(new double[] {Math.log(4)}));
        double[] p = {phi(1), phi(0.5) / 2, phi(1) / 2, phi(0)};
        double lse = Math.log(Math.exp(p[0]) + Math.exp(p[1]) + Math.exp(p[2]) + Math.exp(p[3]));
        double[] ce = InfoNce.perRow(q, u, MathFixtures.matrix(new double[] {1.0}), MathFixtures.matrix(new double[] {0.5}));
        assertEquals(2 * lse - p[0] - p[1], ce[0], 1e-12);
        assertEquals(2.834622030619147, ce[0], 1e-12);
    }

    @Test
    void separatedLatentsScoreLowerThanCoincidingOnes() {
        Gaussian q = MathFixtures.expert(3, 3, 4);
        Gaussian far = new Gaussian(q.mu().add(30.0), q.logvar());
        INDArray eq = MathFixtures.normal(5, 3, 4, 1.0);
        INDArray eu = MathFixtures.normal(6, 3, 4, 1.0);
        double[] apart = InfoNce.perRow(q, far, eq, eu);
        double[] together = InfoNce.perRow(q, q, eq, eq);
        for (int b = 0; b < 3; b++) {
            assertTrue(apart[b] < together[b], "row " + b + ": " + apart[b] + " vs " + together[b]);
        }
    }

    @Test
    void backwardMatchesFiniteDifferencesOfEveryParameter() {
        Gaussian q = MathFixtures.expert(11, 3, 4);
        Gaussian u = new Gaussian(q.mu().add(MathFixtures.normal(12, 3, 4, 0.7)), MathFixtures.uniform(13, 3, 4, -1.5, 0.5));
        INDArray eq = MathFixtures.normal(14, 3, 4, 1.0);
        INDArray eu = MathFixtures.normal(15, 3, 4, 1.0);
        InfoNce.Grads g = InfoNce.backward(q, u, eq, eu, UPSTREAM);
        java.util.function.DoubleSupplier loss = () -> weighted(InfoNce.perRow(q, u, eq, eu));
        GradCheck.assertGradient("dmu_q", g.q().dMu(), q.mu(), loss);
        GradCheck.assertGradient("dlogvar_q", g.q().dLogvar(), q.logvar(), loss);
        GradCheck.assertGradient("dmu_u", g.u().dMu(), u.mu(), loss);
        GradCheck.assertGradient("dlogvar_u", g.u().dLogvar(), u.logvar(), loss);
    }

    private static double weighted(double[] perRow) {
        double s = 0;
        for (int b = 0; b < perRow.length; b++) {
            s += UPSTREAM[b] * perRow[b];
        }
        return s;
    }

    private static double phi(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }
}
