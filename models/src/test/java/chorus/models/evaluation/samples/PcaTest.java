package chorus.models.evaluation.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PcaTest {

    @Test
    void pointsOnAnAxisProjectOnTheirCoordinateAlongIt() {
        // spread 10 along the third axis, 1 along the first, none along the second
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 0, 10}, {-1, 0, -10}, {1, 0, -10}, {-1, 0, 10}}).addi(5);
        INDArray p = Pca.project(x, 2);
        assertArrayEquals(new double[] {10, -10, -10, 10}, p.getColumn(0).toDoubleVector(), 1e-9);
        assertArrayEquals(new double[] {1, -1, 1, -1}, p.getColumn(1).toDoubleVector(), 1e-9);
    }

    @Test
    void theFirstComponentCarriesTheMostVariance() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 50, 4).mulRowVector(Nd4j.createFromArray(1.0, 5.0, 0.5, 2.0));
        INDArray p = Pca.project(x, 2);
        double v0 = p.getColumn(0).varNumber().doubleValue();
        double v1 = p.getColumn(1).varNumber().doubleValue();
        assertEquals(true, v0 >= v1, v0 + " < " + v1);
        assertEquals(0, p.getColumn(0).dup().muli(p.getColumn(1)).sumNumber().doubleValue(), 1e-9); // uncorrelated
    }
}
