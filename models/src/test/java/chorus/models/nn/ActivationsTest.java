package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Swish's backward from the kept sigmoid, on float arrays and on row views that start mid-buffer. */
class ActivationsTest {

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
