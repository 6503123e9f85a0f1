package chorus.models.evaluation.likelihood;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
import chorus.models.objective.TermValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The objective's terms on held-out data: forward passes only, batches in dataset order, the step's
 * noise seeded by the batch index so two evaluations of the same parameters agree exactly. Terms are
 * row-weighted means over the evaluated rows, with beta = 1 (the bound itself, not the annealed loss).
 */
public final class TestElbo {

    private TestElbo() {
    }

    /** Mean loss and terms over the first {@code limit} rows (all rows when {@code limit <= 0}). */
    public record Result(long rows, double loss, List<TermValue> terms) {
    }

    /** Evaluates {@code model} (which it runs but does not change) on {@code data}. */
    public static Result evaluate(MultimodalVae model, Objective objective, Dataset data, int batchSize, int limit) {
        return evaluate(model, objective, data, batchSize, limit, UnaryOperator.identity());
    }

    /**
     * The same for a model that reads each batch through {@code input} (the model's input conversion,
     * {@code ModelFactory.input}): batch i holds rows {@code [i * batchSize, ...)} and is step i.
     */
    public static Result evaluate(MultimodalVae model, Objective objective, Dataset data, int batchSize, int limit,
                                  UnaryOperator<Batch> input) {
        Map<String, Double> sums = new LinkedHashMap<>();
        double lossSum = 0;
        long rows = 0;
        for (Batch raw : data.batches(data.firstRows(limit), batchSize)) {
            Batch b = input.apply(raw);
            ReferenceModel.Evaluated e = ReferenceModel.evaluate(model, objective, b, 1.0);
            lossSum += e.loss() * b.size();
            for (TermValue t : e.terms()) {
                sums.merge(t.name(), t.value() * b.size(), Double::sum);
            }
            rows += b.size();
        }
        List<TermValue> terms = new ArrayList<>();
        final long n = rows;
        sums.forEach((name, sum) -> terms.add(new TermValue(name, sum / n)));
        return new Result(rows, lossSum / rows, terms);
    }
}
