package chorus.tools;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.ConditioningSubsets;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.Summary;
import chorus.models.evaluation.likelihood.LogLikelihood;
import java.io.PrintStream;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code loglike --table}: log p(x_m | x_S) for every target modality m (rows) and every conditioning set S
 * (columns, including S = {m} and S = all), estimated as log (1/K) sum_k p(x_m | z_k) with z_k ~ q(z | x_S)
 * ({@link LogLikelihood#predictive}); mean ± standard error over the test rows, the layout of the MMVAE
 * deck's table (log p(x_m | x_m, x_n), log p(x_m | x_m), log p(x_m | x_n)).
 */
final class LikelihoodTable {

    private LikelihoodTable() {
    }

    /** Estimates and prints the table over {@code rows} (each observing every modality). */
    static void print(MultimodalVae model, PosteriorRule rule, UnaryOperator<Batch> input, Dataset test, int[] rows,
            int batchSize, int k, int chunk, long seed, PrintStream out) {
        List<String> names = model.modalities().stream().map(Modality::name).toList();
        List<List<String>> subsets = ConditioningSubsets.of(names);
        double[][][] values = new double[names.size()][subsets.size()][rows.length];
        int from = 0;
        try (Progress progress = Progress.console("loglike table", rows.length, "rows")) {
            progress.update(0);
            for (Batch raw : test.batches(rows, batchSize)) {
                Batch batch = input.apply(raw);
                long batchSeed = Seeds.derive(seed, raw.step());
                for (int m = 0; m < names.size(); m++) {
                    for (int s = 0; s < subsets.size(); s++) {
                        double[] v = LogLikelihood.predictive(model, rule, batch, names.get(m), subsets.get(s), k, chunk,
                                Seeds.derive(batchSeed, s));
                        System.arraycopy(v, 0, values[m][s], from, v.length);
                    }
                }
                from += raw.size();
                progress.update(from);
            }
        }
        out.printf("log p(x_m | x_S) = log mean_k p(x_m | z_k), z_k ~ q(z | x_S) (k=%d, %d rows; mean ± standard error):%n",
                k, rows.length);
        int width = 22;
        StringBuilder header = new StringBuilder(String.format("  %-12s", "m \\ S"));
        subsets.forEach(s -> header.append(String.format(" %" + width + "s", ConditioningSubsets.key(s))));
        out.println(header);
        for (int m = 0; m < names.size(); m++) {
            StringBuilder line = new StringBuilder(String.format("  %-12s", names.get(m)));
            for (int s = 0; s < subsets.size(); s++) {
                Summary sum = Summary.of(values[m][s]);
                line.append(String.format(" %" + width + "s", String.format("%.2f ± %.2f", sum.mean(), sum.standardError())));
            }
            out.println(line);
        }
    }
}
