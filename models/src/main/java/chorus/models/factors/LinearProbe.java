package chorus.models.factors;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * How much of a known factor a group of latent units holds linearly: a ridge regression (with intercept) fitted
 * on one set of rows and scored on another, as R^2 for a continuous factor and as accuracy for a class (the
 * one-hot regression's argmax, a linear classifier). Chance is R^2 = 0 and accuracy = the largest class share.
 */
public final class LinearProbe {

    /** The ridge penalty on the weights (not the intercept), small against the unit-variance latents. */
    public static final double RIDGE = 1e-3;

    private LinearProbe() {
    }

    /** Held-out R^2 = 1 - SSE / SST of {@code y} predicted from {@code x} ({@code [N, d]}), fitted on {@code fit} rows. */
    public static double rSquared(INDArray x, double[] y, int[] fit, int[] score) {
        INDArray w = weights(x, Nd4j.createFromArray(y).reshape(y.length, 1), fit);      // [d+1, 1]
        INDArray predicted = design(x, score).mmul(w);                                   // [S, 1]
        double mean = 0;
        for (int r : score) {
            mean += y[r] / score.length;
        }
        double sse = 0;
        double sst = 0;
        for (int i = 0; i < score.length; i++) {
            double e = y[score[i]] - predicted.getDouble(i, 0);
            sse += e * e;
            sst += (y[score[i]] - mean) * (y[score[i]] - mean);
        }
        return 1 - sse / sst;
    }

    /** Held-out accuracy of the linear classifier of {@code classes} from {@code x}, fitted on {@code fit} rows. */
    public static double accuracy(INDArray x, int[] labels, int classes, int[] fit, int[] score) {
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            oneHot.putScalar(i, labels[i], 1.0);
        }
        INDArray predicted = design(x, score).mmul(weights(x, oneHot, fit));             // [S, C]
        INDArray argmax = predicted.argMax(1);
        int right = 0;
        for (int i = 0; i < score.length; i++) {
            right += argmax.getInt(i) == labels[score[i]] ? 1 : 0;
        }
        return right / (double) score.length;
    }

    /** Ridge weights (X^T X + lambda I')^-1 X^T Y over the fit rows, I' sparing the intercept: {@code [d+1, k]}. */
    private static INDArray weights(INDArray x, INDArray y, int[] fit) {
        INDArray a = design(x, fit);                                                      // [F, d+1]
        INDArray gram = a.transpose().mmul(a);                                            // [d+1, d+1]
        for (int i = 1; i < gram.size(0); i++) {
            gram.putScalar(i, i, gram.getDouble(i, i) + RIDGE * fit.length);
        }
        INDArray targets = Nd4j.pullRows(y.castTo(DataType.DOUBLE), 1, fit);             // [F, k]
        return InvertMatrix.invert(gram, false).mmul(a.transpose().mmul(targets));       // [d+1, k]
    }

    /** {@code [1 | x]} of the given rows, in double. */
    private static INDArray design(INDArray x, int[] rows) {
        INDArray picked = Nd4j.pullRows(x.castTo(DataType.DOUBLE), 1, rows);             // [R, d]
        return Nd4j.hstack(Nd4j.ones(DataType.DOUBLE, rows.length, 1), picked);          // [R, d+1]
    }
}
