package chorus.models.evaluation.samples;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Principal component analysis for drawing latent points in 2-D (the embeddings plot; Chorus uses PCA since
 * no well-kept, permissively licensed t-SNE or UMAP for the JVM is on Maven Central — Smile's are GPL-3.0):
 * the rows are centred and projected on the top eigenvectors of their covariance, computed in double, each
 * component's sign fixed so that its largest-magnitude loading is positive (the projection is then a
 * function of the points alone).
 */
public final class Pca {

    private Pca() {
    }

    /** The projection {@code [N, k]} of {@code x [N, D]} (N &gt;= 2, 1 &lt;= k &lt;= D) on its k principal components. */
    public static INDArray project(INDArray x, int k) {
        if (x.rank() != 2 || x.size(0) < 2 || k < 1 || k > x.size(1)) {
            throw new IllegalArgumentException("PCA of " + java.util.Arrays.toString(x.shape()) + " to " + k
                    + " components, expected [N >= 2, D] and 1 <= k <= D");
        }
        INDArray d = x.castTo(DataType.DOUBLE);
        INDArray centred = d.subRowVector(d.mean(0));                                    // [N, D]
        INDArray vectors = centred.transpose().mmul(centred).divi(d.size(0) - 1).dup('f'); // [D, D] covariance
        Eigen.symmetricGeneralizedEigenvalues(vectors, true);                             // ascending; columns = vectors
        long dim = x.size(1);
        INDArray top = vectors.get(NDArrayIndex.all(), NDArrayIndex.interval(dim - k, dim)).dup(); // [D, k] ascending
        INDArray ordered = top.dup();
        for (int c = 0; c < k; c++) {
            INDArray column = top.getColumn(k - 1 - c).dup();                             // largest first
            int argmax = column.dup().muli(column).argMax(0).getInt(0);
            ordered.putColumn(c, column.getDouble(argmax) < 0 ? column.neg() : column);
        }
        return centred.mmul(ordered);                                                     // [N, k]
    }
}
