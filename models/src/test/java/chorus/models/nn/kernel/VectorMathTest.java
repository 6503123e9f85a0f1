package chorus.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The SIMD exponential: accurate, and bit for bit the scalar one, so results do not depend on the JIT's progress. */
class VectorMathTest {

    @Test
    void simdLanesEqualTheScalarExpBitForBitAndAreWithinTwoUlps() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        Random random = new Random(7);
        float[] x = new float[lanes * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 30); // beyond both clamps too
        }
        x[0] = 0f;
        x[1] = -0f;
        x[2] = 1e-30f;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += lanes) {
            VectorMath.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
        }
        for (int i = 0; i < x.length; i++) {
            float scalar = VectorMath.exp(x[i]);
            assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(y[i]), "exp(" + x[i] + ")");
            if (x[i] > -87f && x[i] < 88f) {
                double exact = Math.exp(x[i]);
                assertTrue(Math.abs(scalar - exact) <= 2 * Math.ulp((float) exact), "exp(" + x[i] + ") = " + scalar + ", exact " + exact);
            }
        }
    }
}
