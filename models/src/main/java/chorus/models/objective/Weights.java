package chorus.models.objective;

/**
 * The one check of an objective's weights: the KL weight beta of a step, the per-modality likelihood
 * weights lambda_m, and any other weight of a term (JMVAE's and fummvae's alpha, MEME's supervision, the annealing
 * target). Every objective and stage calls these, so a bad weight reads the same wherever it enters.
 */
public final class Weights {

    private Weights() {
    }

    /** beta is a finite number >= 0 (annealed from 0 to 1; IWAE and DReG ignore it but still check it). */
    public static double beta(double beta) {
        return nonNegative("beta", beta);
    }

    /** {@code value}, the weight {@code what}, if it is a finite number >= 0; else one line naming it. */
    public static double nonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + ": " + value + ", expected a finite number >= 0");
        }
        return value;
    }

    /** One lambda_m per modality, each a finite number >= 0; returns them (not a copy). */
    public static double[] lambdas(double[] lambdas, int modalities) {
        if (lambdas == null || lambdas.length != modalities) {
            throw new IllegalArgumentException("lambdas: " + (lambdas == null ? "null" : lambdas.length + " weights")
                    + " for " + modalities + " modalities, expected one weight per modality");
        }
        for (int j = 0; j < lambdas.length; j++) {
            nonNegative("lambdas[" + j + "]", lambdas[j]);
        }
        return lambdas;
    }
}
