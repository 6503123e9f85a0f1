package chorus.models.likelihood;

import chorus.data.LikelihoodKind;
import chorus.models.check.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The likelihood for a {@link LikelihoodKind} and the checks they share. Weights lambda_m and row masks are
 * applied by the objectives, in the coefficients dL/dlogp they hand the decoders.
 */
public final class Likelihoods {

    private Likelihoods() {
    }

    /**
     * The likelihood of a single modality's kind; {@code scale} is the fixed scale of GAUSSIAN (standard
     * deviation) and LAPLACE (diversity b), and ignored by BERNOULLI and CATEGORICAL. SEGMENTED is refused:
     * its parts are other modalities' likelihoods.
     */
    public static Likelihood of(LikelihoodKind kind, double scale) {
        if (kind == null) {
            throw new IllegalArgumentException("likelihood kind: null, expected one of "
                    + java.util.Arrays.toString(LikelihoodKind.values()));
        }
        return switch (kind) {
            case BERNOULLI -> new Bernoulli();
            case CATEGORICAL -> new Categorical();
            case GAUSSIAN -> new FixedScaleGaussian(scale);
            case LAPLACE -> new Laplace(scale);
            case SEQUENCE -> throw new IllegalArgumentException("likelihood kind SEQUENCE needs the modality's"
                    + " vocabulary: use Likelihoods.of(modality, kind, scale)");
            case SEGMENTED -> throw new IllegalArgumentException("likelihood kind SEGMENTED: a segmented likelihood is"
                    + " built from the likelihoods of the modalities it concatenates (Concatenation.likelihood), not from a kind");
        };
    }

    /**
     * The likelihood of {@code kind} for modality {@code m}: as {@link #of(LikelihoodKind, double)}, and for
     * SEQUENCE the per-position categorical over the modality's vocabulary, which must then be a sequence.
     */
    public static Likelihood of(chorus.data.Modality m, LikelihoodKind kind, double scale) {
        if (kind != LikelihoodKind.SEQUENCE) {
            return of(kind, scale);
        }
        if (m.kind() != chorus.data.Modality.Kind.SEQUENCE) {
            throw new IllegalArgumentException("modality " + m + ": likelihood sequence needs a sequence modality");
        }
        return new SequenceCategorical(m.shape()[1]);
    }

    /** params {@code [R, P]} and x {@code [R, size]} are finite, of one type, with P = paramSize(size). */
    static void requirePair(Likelihood likelihood, INDArray params, INDArray x) {
        Checks.finite("likelihood params", Checks.matrix("likelihood params", params));
        Checks.finite("likelihood data x", Checks.matrix("likelihood data x", x));
        if (!params.dataType().isFPType()) {
            throw new IllegalArgumentException("likelihood params: data type " + params.dataType()
                    + ", expected a floating type");
        }
        long p = likelihood.paramSize((int) x.size(1));
        if (params.size(0) != x.size(0) || params.size(1) != p) {
            throw new IllegalArgumentException("likelihood params: shape " + Checks.shape(params) + ", expected ["
                    + x.size(0) + ", " + p + "] for data x " + Checks.shape(x) + " (" + likelihood + ")");
        }
    }

    /** params {@code [R, P]} as above and dLogProb a finite vector {@code [R]}; returns it as {@code [R, 1]}. */
    static INDArray requireUpstream(Likelihood likelihood, INDArray params, INDArray x, INDArray dLogProb) {
        requirePair(likelihood, params, x);
        Checks.finite("upstream gradient dLogProb", Checks.vector("upstream gradient dLogProb", dLogProb, params.size(0)));
        return dLogProb.castTo(params.dataType()).reshape(params.size(0), 1); // [R, 1]
    }

    /** A positive, finite scale. */
    static double requireScale(String owner, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(owner + " scale: " + scale + ", expected a finite value > 0");
        }
        return scale;
    }
}
