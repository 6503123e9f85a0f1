package chorus.models.objective;

/**
 * The one check of an objective's weights: the KL weight beta of a step and the per-modality likelihood
 * weights lambda_m. Every objective and stage calls these, so a bad weight reads the same wherever it
 * enters.
 */
public final class Weights {

    private Weights() {
    }

    /** beta is a finite number >= 0 (annealed from 0 to 1; IWAE and DReG ignore it but still check it). */
    public static double beta(double beta) {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta: " + beta + ", expected a finite number >= 0");
        }
        return beta;
    }

    /** One lambda_m per modality, each a finite number >= 0; returns them (not a copy). */
    public static double[] lambdas(double[] lambdas, int modalities) {
        if (lambdas == null || lambdas.length != modalities) {
            throw new IllegalArgumentException("lambdas: " + (lambdas == null ? "null" : lambdas.length + " weights")
                    + " for " + modalities + " modalities, expected one weight per modality");
        }
        for (int j = 0; j < lambdas.length; j++) {
            if (!(lambdas[j] >= 0) || Double.isInfinite(lambdas[j])) {
                throw new IllegalArgumentException("lambdas[" + j + "]: " + lambdas[j] + ", expected a finite number >= 0");
            }
        }
        return lambdas;
    }
}
