package chorus.actors.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Arrays cross the wire bit for bit, whatever their type, shape, order or view. */
class ArrayCodecTest {

    /** Values whose bits a lossy path would change: signed zero, infinities, NaN, a subnormal, 1/3. */
    private static final double[] AWKWARD = {-0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        Double.MIN_VALUE, 1.0 / 3.0, -1e300};

    static byte[] bytes(INDArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArrayCodec.write(new DataOutputStream(out), a);
        return out.toByteArray();
    }

    static INDArray roundTrip(INDArray a) throws IOException {
        return ArrayCodec.read(new DataInputStream(new ByteArrayInputStream(bytes(a))));
    }

    /** Same type, shape and raw bits of every value (read element by element, not through the codec). */
    static void assertSameBits(INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType(), "data type");
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        if (expected.dataType() == DataType.FLOAT) {
            float[] e = expected.dup('c').data().asFloat();
            float[] a = actual.dup('c').data().asFloat();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), "value " + i);
            }
        } else {
            double[] e = expected.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            double[] a = actual.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            for (int i = 0; i < e.length; i++) {
                assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), "value " + i);
            }
        }
    }

    @Test
    void doubleValuesArriveBitForBit() throws IOException {
        INDArray a = Nd4j.createFromArray(AWKWARD).reshape(2, 4);
        INDArray b = roundTrip(a);
        assertSameBits(a, b);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(b.getDouble(0, 0)));
    }

    @Test
    void floatValuesArriveBitForBit() throws IOException {
        float[] values = {-0.0f, Float.MIN_VALUE, Float.NaN, 1.0f / 3.0f, Float.NEGATIVE_INFINITY, 3.4e38f};
        INDArray a = Nd4j.createFromArray(values).reshape(3, 2);
        assertSameBits(a, roundTrip(a));
    }

    @Test
    void viewsArriveAsTheValuesTheyShow() throws IOException {
        INDArray m = Nd4j.linspace(DataType.DOUBLE, 1, 24, 1).reshape(4, 6);
        INDArray column = m.getColumn(4);                                              // strided view
        INDArray block = m.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5)); // offset view
        assertSameBits(column, roundTrip(column));
        assertSameBits(block, roundTrip(block));
        assertEquals(9.0, roundTrip(block).getDouble(0, 0)); // m[1, 2] = 1 * 6 + 2 + 1
    }

    @Test
    void fOrderArraysArriveWithTheSameValuesInCOrder() throws IOException {
        INDArray f = Nd4j.linspace(DataType.FLOAT, 1, 6, 1).reshape('f', 2, 3);
        INDArray back = roundTrip(f);
        assertSameBits(f, back);
        assertEquals('c', back.ordering());
    }

    @Test
    void emptyAndScalarArraysKeepTheirShape() throws IOException {
        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 3);
        INDArray back = roundTrip(empty);
        assertTrue(back.isEmpty());
        assertArrayEquals(new long[] {0, 3}, back.shape());
        assertSameBits(Nd4j.scalar(2.5), roundTrip(Nd4j.scalar(2.5)));
    }

    @Test
    void integerBooleanAndHalfArraysKeepTheirType() throws IOException {
        INDArray[] arrays = {Nd4j.createFromArray(new int[] {Integer.MIN_VALUE, 7}),
            Nd4j.createFromArray(new long[] {Long.MAX_VALUE, -1}), Nd4j.createFromArray(new boolean[] {true, false}),
            Nd4j.createFromArray(new byte[] {-128, 127}), Nd4j.createFromArray(1.5f, -2.25f).castTo(DataType.HALF),
            Nd4j.createFromArray(new short[] {-3, 300}).reshape(1, 2, 1)};
        for (INDArray a : arrays) {
            INDArray back = roundTrip(a);
            assertSameBits(a, back);
            assertEquals(a, back, a.dataType().toString());
        }
    }

    @Test
    void nullIsOneByteAndStaysNull() throws IOException {
        assertEquals(1, bytes(null).length);
        assertNull(roundTrip(null));
    }

    @Test
    void aSenderMutatingItsArrayAfterSendingChangesNothingReceived() throws IOException {
        INDArray a = Nd4j.ones(DataType.DOUBLE, 2, 2);
        byte[] sent = bytes(a);
        a.addi(1);
        INDArray back = ArrayCodec.read(new DataInputStream(new ByteArrayInputStream(sent)));
        assertEquals(Nd4j.ones(DataType.DOUBLE, 2, 2), back);
    }

    @Test
    void truncatedValuesAreAnError() throws IOException {
        byte[] whole = bytes(Nd4j.ones(DataType.DOUBLE, 3));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 4);
        assertThrows(java.io.EOFException.class, () -> ArrayCodec.read(new DataInputStream(new ByteArrayInputStream(cut))));
    }

    @Test
    void anUnknownTypeCodeIsAnErrorNamingIt() throws IOException {
        byte[] b = bytes(Nd4j.ones(DataType.DOUBLE, 1));
        b[1] = 99;
        NotSerializableException e = assertThrows(NotSerializableException.class,
                () -> ArrayCodec.read(new DataInputStream(new ByteArrayInputStream(b))));
        assertTrue(e.getMessage().contains("code 99"), e.getMessage());
    }
}
