package chorus.models.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.nn.NetFixtures;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Swish's forward and its backward from the kept sigmoid, on float arrays and on row views that start mid-buffer. */
class ActivationsTest {

    @Test
    void theBuildRunsTheVectorisedSwish() {
        assertTrue(VectorMathSupport.AVAILABLE, "the JVM flags of the build add jdk.incubator.vector");
    }

    @Test
    void swishForwardOnARowViewEqualsLibnd4jsSigmoidTimesX() {
        // 3 x 333 elements: not a multiple of the SIMD width, so the scalar tail runs too; |x| up to ~100
        INDArray x = NetFixtures.randn(8, 5, 333).muli(30).castTo(DataType.FLOAT);
        INDArray sig = Nd4j.zeros(DataType.FLOAT, 5, 333);
        INDArray out = Nd4j.zeros(DataType.FLOAT, 5, 333);
        Activations.SWISH.forward(Buffers.rows(x, 1, 4), Buffers.rows(out, 1, 4), Buffers.rows(sig, 1, 4));
        INDArray s = org.nd4j.linalg.ops.transforms.Transforms.sigmoid(Buffers.rows(x, 1, 4), true);
        assertTrue(s.equalsWithEps(Buffers.rows(sig, 1, 4), 1e-6), "max difference " + s.sub(Buffers.rows(sig, 1, 4)).amaxNumber());
        INDArray f = s.mul(Buffers.rows(x, 1, 4));
        assertTrue(f.equalsWithEps(Buffers.rows(out, 1, 4), 1e-4), "max difference " + f.sub(Buffers.rows(out, 1, 4)).amaxNumber());
        assertEquals(0.0, Buffers.rows(out, 0, 1).amaxNumber().doubleValue());
        assertEquals(0.0, Buffers.rows(sig, 4, 5).amaxNumber().doubleValue());
    }

    @Test
    void swishGradientInFloatEqualsTheClosedForm() {
        INDArray x = NetFixtures.randn(3, 7, 1000).castTo(DataType.FLOAT); // 7000 elements: several blocks
        INDArray dOut = NetFixtures.randn(4, 7, 1000).castTo(DataType.FLOAT);
        INDArray sig = x.ulike();
        INDArray out = x.ulike();
        Activations.SWISH.forward(x, out, sig);
        INDArray got = Activations.SWISH.backward(sig, out, dOut, x.ulike());
        // d/dx x s(x) = s(x) (1 + x (1 - s(x)))
        INDArray s = org.nd4j.linalg.ops.transforms.Transforms.sigmoid(x, true);
        INDArray want = s.mul(x.mul(s.rsub(1.0)).add(1.0)).mul(dOut);
        assertTrue(want.equalsWithEps(got, 1e-5), "max difference " + want.sub(got).amaxNumber());
    }

    @Test
    void swishGradientOnARowViewWritesOnlyThoseRows() {
        INDArray x = NetFixtures.randn(5, 6, 700).castTo(DataType.FLOAT);
        INDArray sig = x.ulike();
        INDArray out = x.ulike();
        Activations.SWISH.forward(x, out, sig);
        INDArray dOut = NetFixtures.randn(6, 6, 700).castTo(DataType.FLOAT);
        INDArray dPre = Nd4j.zeros(DataType.FLOAT, 6, 700);
        INDArray whole = Activations.SWISH.backward(sig, out, dOut, x.ulike());
        Activations.SWISH.backward(Buffers.rows(sig, 2, 5), Buffers.rows(out, 2, 5), Buffers.rows(dOut, 2, 5),
                Buffers.rows(dPre, 2, 5));
        assertEquals(Buffers.rows(whole, 2, 5), Buffers.rows(dPre, 2, 5));
        assertEquals(0.0, Buffers.rows(dPre, 0, 2).amaxNumber().doubleValue());
        assertEquals(0.0, Buffers.rows(dPre, 5, 6).amaxNumber().doubleValue());
    }
}
