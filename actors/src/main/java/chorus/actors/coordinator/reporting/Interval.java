package chorus.actors.coordinator.reporting;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.WorkerId;
import chorus.models.objective.TermValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reporter's running sums over one reporting interval: term means, throughput, and how long each
 * actor waited — the interval's wall time minus the time it was busy, per step.
 */
final class Interval {

    /** One interval as a log line and as a metrics record. */
    record Line(String text, ObjectNode json) {
    }

    private final List<String> modalities;
    private final Map<String, Double> terms = new LinkedHashMap<>();
    private final Map<String, Long> busy = new LinkedHashMap<>();
    private long startNanos = System.nanoTime();
    private int steps;
    private long rows;
    private double loss;
    private double beta;
    private long loaderWait;
    private long maxStaleness;
    private long retries;

    Interval(List<String> modalities) {
        this.modalities = List.copyOf(modalities);
    }

    int steps() {
        return steps;
    }

    void add(StepReport r, double stepBeta, int stepRows, long loaderWaitNanos) {
        steps++;
        rows += stepRows;
        loss += r.loss();
        beta = stepBeta;
        loaderWait += loaderWaitNanos;
        maxStaleness = Math.max(maxStaleness, r.maxStaleness());
        retries += r.attempts() - 1;
        for (TermValue t : r.terms()) {
            terms.merge(t.name(), t.value(), Double::sum);
        }
        busy.merge("combiner", r.combinerNanos(), Long::sum);
        r.busyNanos().forEach((w, nanos) -> busy.merge(name(w), nanos, Long::sum));
    }

    /** Formats the interval ending at {@code step} and starts the next one. */
    Line close(long step, double epoch, long totalSteps) {
        long now = System.nanoTime();
        double wall = (now - startNanos) / 1e9;
        double imagesPerSecond = wall > 0 ? rows / wall : 0;
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", "train").put("step", step).put("epoch", epoch).put("loss", loss / steps).put("beta", beta)
                .put("images_per_s", imagesPerSecond).put("steps", steps).put("max_staleness", maxStaleness)
                .put("retries", retries);
        StringBuilder text = new StringBuilder(String.format("step %d/%d epoch %.2f | loss %.4f |", step, totalSteps,
                epoch, loss / steps));
        ObjectNode termsJson = json.putObject("terms");
        terms.forEach((name, sum) -> {
            termsJson.put(name, sum / steps);
            text.append(String.format(" %s %.4f", name, sum / steps));
        });
        text.append(String.format(" | beta %.4f | %.0f img/s | waited ms/step: loader %.1f", beta, imagesPerSecond,
                loaderWait / 1e6 / steps));
        ObjectNode waited = json.putObject("waited_ms_per_step");
        waited.put("loader", loaderWait / 1e6 / steps);
        busy.forEach((actor, nanos) -> {
            double w = Math.max(0, (now - startNanos - nanos) / 1e6 / steps);
            waited.put(actor, w);
            text.append(String.format(" %s %.1f", actor, w));
        });
        text.append(" | staleness ").append(maxStaleness);
        if (retries > 0) {
            text.append(" | retries ").append(retries);
        }
        terms.clear();
        busy.clear();
        steps = 0;
        rows = 0;
        loss = 0;
        loaderWait = 0;
        maxStaleness = 0;
        retries = 0;
        startNanos = now;
        return new Line(text.toString(), json);
    }

    private String name(WorkerId w) {
        return w.role().name().toLowerCase() + "." + modalities.get(w.modality());
    }
}
