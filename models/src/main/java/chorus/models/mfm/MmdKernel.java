package chorus.models.mfm;

/**
 * The kernels of {@link Mmd}, each a function f of the squared distance r = |x - y|^2 with a scale C (Tolstikhin et
 * al. 2018, "Wasserstein Auto-Encoders": C = 2 D sigma^2 for a prior N(0, sigma^2 I) over D dimensions).
 */
public enum MmdKernel {

    /** Inverse multiquadratic C / (C + r), WAE-MMD's kernel (heavy tails: gradients for far-away codes). */
    IMQ {
        @Override
        double value(double r, double c) {
            return c / (c + r);
        }

        @Override
        double derivative(double r, double c) {
            double d = c + r;
            return -c / (d * d);
        }
    },

    /** Gaussian (RBF) exp(-r / C), the kernel of the MFM authors' code (with their own scale). */
    RBF {
        @Override
        double value(double r, double c) {
            return Math.exp(-r / c);
        }

        @Override
        double derivative(double r, double c) {
            return -Math.exp(-r / c) / c;
        }
    };

    /** f(r). */
    abstract double value(double r, double c);

    /** df/dr. */
    abstract double derivative(double r, double c);
}
