package chorus.models.posterior;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.assertExactlyZero;
import static chorus.models.MathFixtures.assertFinite;
import static chorus.models.MathFixtures.experts;
import static chorus.models.MathFixtures.matrix;
import static chorus.models.MathFixtures.normal;
import static chorus.models.MathFixtures.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ProductOfExpertsTest {

    /** Rows observe {0,1,2}, {0,2}, {1}: expert 1 is absent from row 1, experts 0 and 2 from row 2. */
    private static final INDArray HOLES = matrix(new double[] {1, 1, 1}, new double[] {1, 0, 1}, new double[] {0, 1, 0});

    @Test
    void poeOfOneExpertWithoutPriorIsThatExpert() {
        List<Gaussian> one = experts(1, 1, 3, 4);
        Gaussian poe = ProductOfExperts.combine(one, MathFixtures.allPresent(3, 1), Subsets.all(1), false).posterior();
        assertClose(one.get(0).mu(), poe.mu(), 1e-12);
        assertClose(one.get(0).logvar(), poe.logvar(), 1e-12);
    }

    @Test
    void identicalUnitExpertsWithPriorHaveVarianceOneOverNPlusOne() {
        Gaussian unit = new Gaussian(Nd4j.valueArrayOf(new long[] {2, 3}, 0.7, DataType.DOUBLE), Nd4j.zeros(DataType.DOUBLE, 2, 3));
        Gaussian poe = ProductOfExperts.combine(List.of(unit, unit, unit, unit), MathFixtures.allPresent(2, 4),
                Subsets.all(4), true).posterior();
        assertClose(Nd4j.valueArrayOf(new long[] {2, 3}, -Math.log(5), DataType.DOUBLE), poe.logvar(), 1e-12);
        assertClose(Nd4j.valueArrayOf(new long[] {2, 3}, 4 * 0.7 / 5, DataType.DOUBLE), poe.mu(), 1e-12);
    }

    @Test
    void combinedPosteriorMatchesThePrecisionWeightedFormula() {
        List<Gaussian> two = experts(2, 2, 1, 1);
        double p0 = Math.exp(-two.get(0).logvar().getDouble(0)), p1 = Math.exp(-two.get(1).logvar().getDouble(0));
        double mu = (two.get(0).mu().getDouble(0) * p0 + two.get(1).mu().getDouble(0) * p1) / (1 + p0 + p1);
        Gaussian poe = ProductOfExperts.combine(two, MathFixtures.allPresent(1, 2), Subsets.all(2), true).posterior();
        assertEquals(mu, poe.mu().getDouble(0), 1e-12);
        assertEquals(-Math.log(1 + p0 + p1), poe.logvar().getDouble(0), 1e-12);
    }

    @Test
    void poeWithAnAbsentExpertEqualsPoeWithoutIt() {
        List<Gaussian> three = experts(3, 3, 3, 2);
        Gaussian withAbsent = ProductOfExperts.combine(three, HOLES, Subsets.all(3), true).posterior().rows(1, 2);
        Gaussian without = ProductOfExperts.combine(List.of(three.get(0), three.get(2)), MathFixtures.allPresent(3, 2),
                Subsets.all(2), true).posterior().rows(1, 2);
        assertClose(without.mu(), withAbsent.mu(), 1e-12);
        assertClose(without.logvar(), withAbsent.logvar(), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void staysFiniteForLogvarAtPlusMinusThirty(DataType dtype) {
        INDArray logvar = Nd4j.create(new double[][] {{-30, 30, -30}, {30, -30, 30}}).castTo(dtype);
        Gaussian a = new Gaussian(Nd4j.valueArrayOf(new long[] {2, 3}, 10.0, dtype), logvar);
        Gaussian b = new Gaussian(Nd4j.valueArrayOf(new long[] {2, 3}, -10.0, dtype), logvar.neg());
        for (boolean prior : new boolean[] {true, false}) {
            ProductOfExperts poe = ProductOfExperts.combine(List.of(a, b), MathFixtures.allPresent(2, 2), Subsets.allNonEmpty(2), prior);
            assertFinite("posterior mu", poe.posterior().mu());
            assertFinite("posterior logvar", poe.posterior().logvar());
            INDArray ones = Nd4j.ones(dtype, 6, 3);
            poe.backward(new GaussianGrad(ones, ones)).forEach(g -> assertFinite("expert gradient", g.dMu().add(g.dLogvar())));
        }
    }

    @Test
    void batchedCombineEqualsALoopOfSingleSubsetCombines() {
        List<Gaussian> three = experts(4, 3, 3, 2);
        INDArray subsets = Subsets.allNonEmpty(3);
        Gaussian batched = ProductOfExperts.combine(three, HOLES, subsets, false).posterior();
        for (int t = 0; t < subsets.rows(); t++) {
            Gaussian single = ProductOfExperts.combine(three, HOLES, subsets.getRow(t).reshape(1, 3), false).posterior();
            assertClose(single.mu(), batched.rows(3 * t, 3 * t + 3).mu(), 1e-12);
            assertClose(single.logvar(), batched.rows(3 * t, 3 * t + 3).logvar(), 1e-12);
        }
    }

    @Test
    void undefinedRowsWithoutPriorAreZeroAndFlaggedInvalid() {
        ProductOfExperts poe = ProductOfExperts.combine(experts(5, 3, 3, 2), HOLES, Subsets.singles(3), false);
        assertClose(vector(1, 1, 0, 1, 0, 1, 1, 1, 0), poe.valid(), 0.0);
        assertExactlyZero("undefined mu", poe.posterior().rows(4, 5).mu());
        assertExactlyZero("undefined logvar", poe.posterior().rows(2, 3).logvar());
    }

    @Test
    void absentExpertGetsExactlyZeroGradient() {
        ProductOfExperts poe = ProductOfExperts.combine(experts(6, 3, 3, 2), HOLES, Subsets.allNonEmpty(3), false);
        List<GaussianGrad> grads = poe.backward(new GaussianGrad(normal(7, 21, 2, 1), normal(8, 21, 2, 1)));
        assertExactlyZero("expert 1 dMu, row 1", grads.get(1).dMu().getRow(1));
        assertExactlyZero("expert 1 dLogvar, row 1", grads.get(1).dLogvar().getRow(1));
        assertExactlyZero("expert 0 dLogvar, row 2", grads.get(0).dLogvar().getRow(2));
        assertTrue(grads.get(1).dMu().getRow(0).amaxNumber().doubleValue() > 0, "present expert gets a gradient");
    }

    @Test
    void gradientWithPriorMatchesFiniteDifferences() {
        checkGradient(true, MathFixtures.allPresent(3, 3));
    }

    @Test
    void gradientWithPriorAndMissingExpertsMatchesFiniteDifferences() {
        checkGradient(true, HOLES);
    }

    @Test
    void gradientWithoutPriorAndMissingExpertsMatchesFiniteDifferences() {
        checkGradient(false, HOLES);
    }

    private static void checkGradient(boolean prior, INDArray presence) {
        List<Gaussian> three = experts(9, 3, 3, 2);
        INDArray subsets = Subsets.allNonEmpty(3);
        INDArray gMu = normal(10, 21, 2, 1), gLv = normal(11, 21, 2, 1);
        List<GaussianGrad> grads = ProductOfExperts.combine(three, presence, subsets, prior).backward(new GaussianGrad(gMu, gLv));
        java.util.function.DoubleSupplier loss = () -> {
            Gaussian q = ProductOfExperts.combine(three, presence, subsets, prior).posterior();
            return GradCheck.dot(gMu, q.mu()) + GradCheck.dot(gLv, q.logvar());
        };
        for (int m = 0; m < 3; m++) {
            GradCheck.assertGradient("expert " + m + " dMu", grads.get(m).dMu(), three.get(m).mu(), loss);
            GradCheck.assertGradient("expert " + m + " dLogvar", grads.get(m).dLogvar(), three.get(m).logvar(), loss);
        }
    }

    @Test
    void combineAndBackwardNeverMutateTheirInputs() {
        for (List<Gaussian> experts : List.of(experts(12, 1, 3, 2), experts(13, 3, 3, 2))) {
            List<INDArray> before = experts.stream().flatMap(e -> java.util.stream.Stream.of(e.mu().dup(), e.logvar().dup())).toList();
            INDArray presence = MathFixtures.allPresent(3, experts.size());
            GaussianGrad upstream = new GaussianGrad(normal(14, 3, 2, 1), normal(15, 3, 2, 1));
            INDArray upstreamBefore = upstream.dMu().dup();
            ProductOfExperts.combine(experts, presence, Subsets.all(experts.size()), true).backward(upstream);
            for (int m = 0; m < experts.size(); m++) {
                assertClose(before.get(2 * m), experts.get(m).mu(), 0.0);
                assertClose(before.get(2 * m + 1), experts.get(m).logvar(), 0.0);
            }
            assertClose(upstreamBefore, upstream.dMu(), 0.0);
        }
    }

    @Test
    void rejectsExpertsOfMismatchedShapes() {
        List<Gaussian> mixed = List.of(MathFixtures.expert(1, 3, 2), MathFixtures.expert(2, 3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProductOfExperts.combine(mixed, MathFixtures.allPresent(3, 2), Subsets.all(2), true));
        assertTrue(e.getMessage().contains("expert 1") && e.getMessage().contains("[3, 4]"), e.getMessage());
    }

    @Test
    void rejectsPresenceOfWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProductOfExperts.combine(experts(1, 2, 3, 2), MathFixtures.allPresent(4, 2), Subsets.all(2), true));
        assertTrue(e.getMessage().contains("presence mask") && e.getMessage().contains("[4, 2]")
                && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void rejectsNaNInPresence() {
        INDArray presence = MathFixtures.allPresent(3, 2);
        presence.putScalar(0, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProductOfExperts.combine(experts(1, 2, 3, 2), presence, Subsets.all(2), true));
        assertTrue(e.getMessage().contains("presence mask") && e.getMessage().contains("NaN"), e.getMessage());
    }
}
