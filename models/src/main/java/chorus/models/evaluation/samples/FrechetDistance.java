package chorus.models.evaluation.samples;

import chorus.models.evaluation.coherence.ImageClassifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (Heusel et al. 2017, the FID):
 * <pre>
 *   d^2 = |mu_a - mu_b|^2 + Tr(C_a + C_b - 2 (C_a C_b)^(1/2))
 * </pre>
 * with Tr (C_a C_b)^(1/2) = Tr (C_a^(1/2) C_b C_a^(1/2))^(1/2), the square roots of symmetric positive
 * semi-definite matrices taken through their eigendecompositions in double (negative rounding noise in the
 * eigenvalues clipped to 0). Chorus feeds it the last hidden layer of its own classifier
 * ({@link ImageClassifier#features}), not Inception: an FID analogue for small datasets, comparable only
 * between runs judged by the same classifier.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** d^2 between the rows of {@code a [Na, F]} and {@code b [Nb, F]} (at least two rows each). */
    public static double between(INDArray a, INDArray b) {
        if (a.rank() != 2 || b.rank() != 2 || a.size(1) != b.size(1) || a.size(0) < 2 || b.size(0) < 2) {
            throw new IllegalArgumentException("Fréchet distance: features " + java.util.Arrays.toString(a.shape())
                    + " and " + java.util.Arrays.toString(b.shape()) + ", expected [N, F] with the same F and N >= 2");
        }
        INDArray x = a.castTo(DataType.DOUBLE);
        INDArray y = b.castTo(DataType.DOUBLE);
        INDArray muA = x.mean(0);                                                        // [F]
        INDArray muB = y.mean(0);                                                        // [F]
        INDArray covA = covariance(x, muA);                                              // [F, F]
        INDArray covB = covariance(y, muB);                                              // [F, F]
        INDArray rootA = sqrtm(covA);                                                    // [F, F]
        INDArray middle = rootA.mmul(covB).mmul(rootA);                                  // [F, F] symmetric PSD
        middle = middle.add(middle.transpose()).muli(0.5);                               // symmetric up to rounding
        double traceRoot = 0;
        for (double l : eigenvalues(middle)) {
            traceRoot += Math.sqrt(Math.max(l, 0));
        }
        double meanTerm = muA.sub(muB).norm2Number().doubleValue();
        return meanTerm * meanTerm + trace(covA)
                + trace(covB) - 2 * traceRoot;
    }

    /** The unbiased sample covariance {@code [F, F]} of the rows of {@code x [N, F]} around {@code mu [F]}. */
    static INDArray covariance(INDArray x, INDArray mu) {
        INDArray centred = x.subRowVector(mu);                                           // [N, F]
        return centred.transpose().mmul(centred).divi(x.size(0) - 1);                    // [F, F]
    }

    /** The symmetric square root of a symmetric PSD matrix. */
    static INDArray sqrtm(INDArray sym) {
        INDArray vectors = sym.dup('f');
        INDArray values = Eigen.symmetricGeneralizedEigenvalues(vectors, true);          // vectors overwritten: columns
        double[] l = values.toDoubleVector();
        INDArray roots = Nd4j.create(DataType.DOUBLE, l.length);
        for (int i = 0; i < l.length; i++) {
            roots.putScalar(i, Math.sqrt(Math.max(l[i], 0)));
        }
        return vectors.mulRowVector(roots).mmul(vectors.transpose());                    // V diag(sqrt l) V^T
    }

    private static double[] eigenvalues(INDArray sym) {
        return Eigen.symmetricGeneralizedEigenvalues(sym.dup('f'), false).toDoubleVector();
    }

    private static double trace(INDArray m) {
        double t = 0;
        for (int i = 0; i < m.size(0); i++) {
            t += m.getDouble(i, i);
        }
        return t;
    }
}
