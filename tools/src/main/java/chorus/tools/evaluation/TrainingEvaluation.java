package chorus.tools.evaluation;

import chorus.actors.coordinator.reporting.Evaluator;
import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.likelihood.TestElbo;
import chorus.models.evaluation.samples.LatentTraversal;
import chorus.tools.plots.EmbeddingPlot;
import chorus.tools.plots.TrainingCurves;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/**
 * What training does at each evaluation besides the test ELBO (the evaluator's {@link Evaluator.Hook}, on
 * the evaluation thread): writes the sample grids and a latent traversal, computes the configured metrics ({@code
 * chorus.train.eval-metrics}, by {@link MetricSuite}) for the log line and metrics.jsonl, and redraws
 * {@code curves.png} from metrics.jsonl and this evaluation (whose record the reporter writes after) and
 * {@code embeddings.png} ({@link EmbeddingPlot}).
 */
public final class TrainingEvaluation implements Evaluator.Hook {

    private final ModelSettings settings;
    private final Dataset test;
    private final UnaryOperator<Batch> input;
    private final Path samples;
    private final Path metricsFile;
    private final Path curves;
    private final Set<MetricSuite.Metric> metrics;
    private final MetricSuite suite;
    private boolean toldSkipped;
    /** Test rows whose posterior means embeddings.png draws. */
    private static final int EMBEDDED_ROWS = 500;

    public TrainingEvaluation(ModelSettings settings, Dataset test, UnaryOperator<Batch> input, Path samples, Path metricsFile,
            Path curves, Set<MetricSuite.Metric> metrics, MetricSuite suite) {
        this.settings = settings;
        this.input = input;
        this.test = test;
        this.samples = samples;
        this.metricsFile = metricsFile;
        this.curves = curves;
        this.metrics = Set.copyOf(metrics);
        this.suite = suite;
    }

    @Override
    public Map<String, Double> evaluated(long step, MultimodalVae trained, TestElbo.Result elbo) throws java.io.IOException {
        MultimodalVae model = ModelFactory.evaluated(settings, trained);
        SampleGrids.write(model, settings, test, samples, step);
        MetricSuite.Results results = suite.run(model, metrics);
        if (!toldSkipped) {
            results.skipped().forEach(line -> LoggerFactory.getLogger("chorus.train").info(line));
            toldSkipped = true;
        }
        Map<String, Double> flat = MetricReport.flat(results);
        TrainingCurves.write(metricsFile, List.of(record(step, elbo, flat)), curves);
        traversal(model, step);
        if (!suite.context().concatenated()) {
            int[] rows = MetricSuite.fullyObserved(test, EMBEDDED_ROWS);
            if (rows.length >= 2) {
                EmbeddingPlot.write(model, suite.context().rule(), test, rows, classNames(), settings.seed(),
                        curves.resolveSibling("embeddings.png"));
            }
        }
        return flat;
    }

    /**
     * {@code samples/step-N-traversal.png}: the 8 most active latent units (over 500 test rows) swept over
     * ±3 prior SDs around z = 0, 9 steps each, decoded to the first image modality.
     */
    private void traversal(MultimodalVae model, long step) throws java.io.IOException {
        int image = Roles.image(test.modalities());
        if (image < 0) {
            return;
        }
        INDArray means = LatentTraversal.posteriorMeans(model, suite.context().rule(), test, EMBEDDED_ROWS, 100, input);
        int[] units = LatentTraversal.mostActive(LatentTraversal.activity(means), Math.min(8, model.jointLatent()));
        INDArray z = LatentTraversal.latents(Nd4j.zeros(means.dataType(), 1, model.jointLatent()), units, 9, 3.0); // [units*9, D]
        List<INDArray> decoded = SampleGrids.decodeAll(model, test.modalities(), z);
        int label = Roles.label(test.modalities());
        List<String> captions = label < 0 ? null : SampleGrids.classes(decoded.get(label), classNames());
        SampleGrids.draw(test.modalities().get(image), decoded.get(image), 9, captions,
                samples.resolve("step-" + step + "-traversal.png"));
    }

    private List<String> classNames() {
        int label = Roles.label(test.modalities());
        return label < 0 ? List.of() : Roles.classNames(test.name(), test.modalities().get(label));
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
