package chorus.models.evaluation;

/**
 * The mean of per-row estimates and its standard error s / sqrt(n) (s the sample standard deviation),
 * as the log-likelihood tables of Wu &amp; Goodman (2018) and Shi et al. (2019) report them.
 */
public record Summary(double mean, double standardError, int rows) {

    /** The summary of {@code values} (at least one). */
    public static Summary of(double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("summary of no values, expected at least one");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double se = values.length > 1 ? Math.sqrt(squares / (values.length - 1) / values.length) : Double.NaN;
        return new Summary(mean, se, values.length);
    }
}
