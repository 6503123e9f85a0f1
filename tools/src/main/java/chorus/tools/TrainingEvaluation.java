package chorus.tools;

import chorus.actors.Evaluator;
import chorus.data.Dataset;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.TestElbo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * What training does at each evaluation besides the test ELBO (the evaluator's {@link Evaluator.Hook}, on
 * the evaluation thread): writes the sample grids, computes the configured metrics ({@code
 * chorus.train.eval-metrics}, by {@link MetricSuite}) for the log line and metrics.jsonl, and redraws
 * {@code curves.png} from metrics.jsonl and this evaluation (whose record the reporter writes after).
 */
final class TrainingEvaluation implements Evaluator.Hook {

    private final ModelSettings settings;
    private final Dataset test;
    private final Path samples;
    private final Path metricsFile;
    private final Path curves;
    private final Set<MetricSuite.Metric> metrics;
    private final MetricSuite suite;
    private boolean toldSkipped;

    TrainingEvaluation(ModelSettings settings, Dataset test, Path samples, Path metricsFile, Path curves,
            Set<MetricSuite.Metric> metrics, MetricSuite suite) {
        this.settings = settings;
        this.test = test;
        this.samples = samples;
        this.metricsFile = metricsFile;
        this.curves = curves;
        this.metrics = Set.copyOf(metrics);
        this.suite = suite;
    }

    @Override
    public Map<String, Double> evaluated(long step, MultimodalVae model, TestElbo.Result elbo) {
        SampleGrids.write(model, settings, test, samples, step);
        MetricSuite.Results results = suite.run(model, metrics);
        if (!toldSkipped) {
            results.skipped().forEach(line -> LoggerFactory.getLogger("chorus.train").info(line));
            toldSkipped = true;
        }
        Map<String, Double> flat = MetricReport.flat(results);
        TrainingCurves.write(metricsFile, List.of(record(step, elbo, flat)), curves);
        return flat;
    }

    /** The eval record the reporter will write, for drawing it now. */
    private static JsonNode record(long step, TestElbo.Result elbo, Map<String, Double> flat) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("type", "eval").put("step", step).put("loss", elbo.loss());
        ObjectNode terms = r.putObject("terms");
        elbo.terms().forEach(t -> terms.put(t.name(), t.value()));
        ObjectNode m = r.putObject("metrics");
        flat.forEach(m::put);
        return r;
    }
}
