package chorus.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ByteImagesTest {

    private static final Modality IMAGE = Modality.image("image", 3, 2, 2, LikelihoodKind.BERNOULLI);
    private static final Modality LABEL = Modality.categorical("label", 2);
    private static final int ROWS = 5;

    /** Byte {@code j} of row {@code i}: covers 0 and 255. */
    private static int value(int i, int j) {
        return (i * 61 + j * 23) % 256;
    }

    private static INDArray bytes() {
        INDArray images = ByteImages.allocate(ROWS, IMAGE.size(), "test");
        ByteBuffer b = ByteImages.buffer(images);
        for (int i = 0; i < ROWS * IMAGE.size(); i++) {
            b.put(i, (byte) value(i / IMAGE.size(), i % IMAGE.size()));
        }
        return images;
    }

    private static INDArray floats() {
        float[] v = new float[ROWS * IMAGE.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(i / IMAGE.size(), i % IMAGE.size()) / 255f;
        }
        return Nd4j.create(v, new long[] {ROWS, IMAGE.size()}, DataType.FLOAT);
    }

    private static Dataset dataset(INDArray images) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, ROWS, 2);
        labels.getColumn(0).assign(1f);
        INDArray presence = Nd4j.ones(DataType.FLOAT, ROWS, 2);
        presence.putScalar(3, 0, 0f); // row 3 lacks the image
        return new Dataset("d", "train", "here", List.of(IMAGE, LABEL), List.of(images, labels), null, presence);
    }

    @Test
    void byteBatchesEqualFloatBatchesBitForBit() {
        int[] rows = {4, 0, 3, 2};
        Batch fromBytes = dataset(bytes()).batch(7, rows);
        Batch fromFloats = dataset(floats()).batch(7, rows);
        assertEquals(fromFloats.tensors(), fromBytes.tensors());
        assertEquals(fromFloats.presence(), fromBytes.presence());
        assertEquals(0f, fromBytes.tensors().get(0).getRow(2).sumNumber().floatValue()); // absent image zeroed
    }

    @Test
    void wholeSplitDataOfBytesIsTheFloatTensor() {
        Dataset d = dataset(bytes());
        assertEquals(DataType.UINT8, d.storedType(0));
        assertEquals(floats(), d.data(0));
    }

    @Test
    void bytesAreRejectedForANonImageModality() {
        INDArray labels = Nd4j.create(DataType.UINT8, ROWS, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.fullyObserved("d",
                "train", "here", List.of(IMAGE, LABEL), List.of(bytes(), labels), null));
        assertTrue(e.getMessage().contains("modality 'label' is UBYTE [5, 2], expected FLOAT [5, 2]"), e.getMessage());
    }

    @Test
    void tooManyBytesForOneArrayIsAnErrorNamingTheSize() {
        DataException e = assertThrows(DataException.class, () -> ByteImages.allocate(200_000, 12_288, "celeba/train"));
        assertTrue(e.getMessage().startsWith("celeba/train: 200000 rows of 12288 bytes are 2457600000 bytes"), e.getMessage());
    }
}
