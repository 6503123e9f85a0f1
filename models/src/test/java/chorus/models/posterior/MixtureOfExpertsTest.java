package chorus.models.posterior;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.assertExactlyZero;
import static chorus.models.MathFixtures.experts;
import static chorus.models.MathFixtures.matrix;
import static chorus.models.MathFixtures.normal;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MixtureOfExpertsTest {

    /** Rows observe {0,1,2}, {0,2}, {1}. */
    private static final INDArray HOLES = matrix(new double[] {1, 1, 1}, new double[] {1, 0, 1}, new double[] {0, 1, 0});
    private static final int K = 2;

    /** log((1/|O_b|) sum_{m in O_b} q_m(z)) row by row in plain Java, max-shifted. */
    private static INDArray bruteForce(INDArray z, List<Gaussian> experts, INDArray presence) {
        int b = experts.get(0).rows();
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, z.rows());
        for (int r = 0; r < z.rows(); r++) {
            List<Double> logs = new ArrayList<>();
            for (int m = 0; m < experts.size(); m++) {
                if (presence.getDouble(r % b, m) == 1.0) {
                    logs.add(experts.get(m).repeat(z.rows() / b).logDensity(z).getDouble(r));
                }
            }
            double max = logs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            double sum = logs.stream().mapToDouble(l -> Math.exp(l - max)).sum();
            expected.putScalar(r, max + Math.log(sum / logs.size()));
        }
        return expected;
    }

    @Test
    void densityEqualsTheAverageOfTheObservedExpertsDensities() {
        List<Gaussian> three = experts(1, 3, 3, 2);
        INDArray z = normal(2, K * 3, 2, 1.0);
        assertClose(bruteForce(z, three, HOLES), MixtureOfExperts.logDensity(z, three, HOLES).value(), 1e-12);
    }

    @Test
    void densityIsFiniteAndExactForFarAwayPoints() {
        List<Gaussian> three = experts(3, 3, 3, 2);
        INDArray z = normal(4, K * 3, 2, 1.0).addi(1e3);
        INDArray value = MixtureOfExperts.logDensity(z, three, HOLES).value();
        assertTrue(value.maxNumber().doubleValue() < -1e5, "points far away have tiny density: " + value);
        assertClose(bruteForce(z, three, HOLES), value, 1e-6);
    }

    @Test
    void rowObservingNothingIsInvalidWithZeroDensity() {
        INDArray presence = matrix(new double[] {1, 1}, new double[] {0, 0});
        MixtureOfExperts moe = MixtureOfExperts.logDensity(normal(5, 4, 2, 1), experts(6, 2, 2, 2), presence);
        assertClose(MathFixtures.vector(1, 0, 1, 0), moe.valid(), 0.0);
        assertExactlyZero("undefined rows", moe.value().getScalar(1).add(moe.value().getScalar(3)));
    }

    @Test
    void gradientWithRespectToZMatchesFiniteDifferences() {
        List<Gaussian> three = experts(7, 3, 3, 2);
        INDArray z = normal(8, K * 3, 2, 1.5);
        INDArray g = normal(9, K * 3, 1, 1).reshape(K * 3);
        INDArray dz = MixtureOfExperts.logDensity(z, three, HOLES).backward(g, false).dz();
        GradCheck.assertGradient("dz", dz, z, () -> GradCheck.dot(g, MixtureOfExperts.logDensity(z, three, HOLES).value()));
    }

    @Test
    void gradientWithRespectToExpertsMatchesFiniteDifferences() {
        List<Gaussian> three = experts(10, 3, 3, 2);
        INDArray z = normal(11, K * 3, 2, 1.5);
        INDArray g = normal(12, K * 3, 1, 1).reshape(K * 3);
        List<GaussianGrad> grads = MixtureOfExperts.logDensity(z, three, HOLES).backward(g, false).experts();
        java.util.function.DoubleSupplier loss = () -> GradCheck.dot(g, MixtureOfExperts.logDensity(z, three, HOLES).value());
        for (int m = 0; m < 3; m++) {
            GradCheck.assertGradient("expert " + m + " dMu", grads.get(m).dMu(), three.get(m).mu(), loss);
            GradCheck.assertGradient("expert " + m + " dLogvar", grads.get(m).dLogvar(), three.get(m).logvar(), loss);
        }
    }

    @Test
    void detachedExpertsGetZeroGradientAndTheSameDz() {
        List<Gaussian> three = experts(13, 3, 3, 2);
        MixtureOfExperts moe = MixtureOfExperts.logDensity(normal(14, K * 3, 2, 1), three, HOLES);
        INDArray g = normal(15, K * 3, 1, 1).reshape(K * 3);
        MixtureOfExperts.Gradient detached = moe.backward(g, true);
        assertClose(moe.backward(g, false).dz(), detached.dz(), 0.0);
        detached.experts().forEach(e -> assertExactlyZero("detached expert", e.dMu().add(e.dLogvar())));
    }

    @Test
    void absentExpertGetsExactlyZeroGradient() {
        MixtureOfExperts moe = MixtureOfExperts.logDensity(normal(16, K * 3, 2, 1), experts(17, 3, 3, 2), HOLES);
        List<GaussianGrad> grads = moe.backward(normal(18, K * 3, 1, 1).reshape(K * 3), false).experts();
        assertExactlyZero("expert 1, row 1 dMu", grads.get(1).dMu().getRow(1));
        assertExactlyZero("expert 0, row 2 dLogvar", grads.get(0).dLogvar().getRow(2));
    }

    @Test
    void stratifiedSamplesAreReparameterisedFromEachExpert() {
        List<Gaussian> three = experts(19, 3, 3, 2);
        List<INDArray> eps = List.of(normal(20, 6, 2, 1), normal(21, 6, 2, 1), normal(22, 6, 2, 1));
        MixtureOfExperts.Stratified s = MixtureOfExperts.sampleStratified(three, HOLES, K, eps);
        assertClose(three.get(2).repeat(K).sample(eps.get(2)), s.z(2), 0.0);
        assertClose(MathFixtures.vector(1, 0, 1, 1, 0, 1), s.valid(1), 0.0);
    }

    @Test
    void stratifiedBackwardMatchesFiniteDifferencesAndSkipsInvalidRows() {
        List<Gaussian> three = experts(23, 3, 3, 2);
        List<INDArray> eps = List.of(normal(24, 6, 2, 1), normal(25, 6, 2, 1), normal(26, 6, 2, 1));
        List<INDArray> g = List.of(normal(27, 6, 2, 1), normal(28, 6, 2, 1), normal(29, 6, 2, 1));
        List<GaussianGrad> grads = MixtureOfExperts.sampleStratified(three, HOLES, K, eps).backward(g);
        java.util.function.DoubleSupplier loss = () -> {
            MixtureOfExperts.Stratified s = MixtureOfExperts.sampleStratified(three, HOLES, K, eps);
            double total = 0;
            for (int m = 0; m < 3; m++) {
                total += GradCheck.dot(g.get(m).mulColumnVector(s.valid(m).reshape(6, 1)), s.z(m));
            }
            return total;
        };
        for (int m = 0; m < 3; m++) {
            GradCheck.assertGradient("expert " + m + " dMu", grads.get(m).dMu(), three.get(m).mu(), loss);
            GradCheck.assertGradient("expert " + m + " dLogvar", grads.get(m).dLogvar(), three.get(m).logvar(), loss);
        }
        assertExactlyZero("expert 1, row 1 (absent)", grads.get(1).dMu().getRow(1));
    }

    @Test
    void rejectsPointsWhoseRowsAreNotAMultipleOfTheBatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixtureOfExperts.logDensity(normal(1, 5, 2, 1), experts(2, 3, 3, 2), HOLES));
        assertTrue(e.getMessage().contains("point z") && e.getMessage().contains("[5, 2]"), e.getMessage());
    }
}
