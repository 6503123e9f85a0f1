package chorus.tools;

import chorus.models.evaluation.ConditioningSubsets;
import chorus.models.evaluation.coherence.ClassJudge;
import chorus.models.evaluation.coherence.CoherenceTable;
import chorus.models.evaluation.coherence.LatentAccuracy;
import chorus.models.evaluation.samples.SampleFrechet;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MetricSuite.Results} as text tables (for {@code evaluate}), as one flat name-to-value map (the
 * training log line and metrics.jsonl: {@code coherence[label->image]}, {@code coherence[joint]},
 * {@code synergy[2]}, {@code latent[image,label]}, {@code frechet[prior->image]}) and as JSON.
 */
final class MetricReport {

    private MetricReport() {
    }

    /** The tables, the judges first, then the lines of what was skipped. */
    static void print(MetricSuite.Results r, PrintStream out) {
        r.judges().forEach(j -> out.println("judge " + j.describe()));
        r.coherence().ifPresent(c -> coherence(c, r.judges(), out));
        if (!r.latent().isEmpty()) {
            LatentAccuracy.Row first = r.latent().get(0);
            out.printf("latent accuracy (linear probe on E[z | X_S], trained on %d rows, tested on %d):%n", first.trainRows(),
                    first.testRows());
            r.latent().forEach(l -> out.printf("  %-28s %6.2f%%%n", "S = " + ConditioningSubsets.key(l.given()), 100 * l.accuracy()));
        }
        if (!r.frechet().isEmpty()) {
            out.printf("Frechet distance of generated values (features of Chorus's own classifier, an FID analogue; lower is"
                    + " better; %d rows):%n", r.frechet().get(0).rows());
            r.frechet().forEach(f -> out.printf("  %-28s %10.3f%n", from(f.given()) + " -> " + f.target(), f.value()));
        }
        r.skipped().forEach(out::println);
    }

    private static void coherence(CoherenceTable.Result c, List<ClassJudge> judges, PrintStream out) {
        out.printf("coherence (one sample z ~ q(z | X_S) per row, the generated modality judged; %d test rows;"
                + " (parentheses): the modality is given):%n", c.rows());
        StringBuilder header = new StringBuilder(String.format("  %-28s", "S \\ generated"));
        judges.forEach(j -> header.append(String.format(" %12s", j.name())));
        out.println(header);
        int per = judges.size();
        for (int i = 0; i < c.cells().size(); i += per) {
            StringBuilder line = new StringBuilder(String.format("  %-28s", ConditioningSubsets.key(c.cells().get(i).given())));
            for (CoherenceTable.Cell cell : c.cells().subList(i, i + per)) {
                String v = String.format("%.2f%%", 100 * cell.count().accuracy());
                line.append(String.format(" %12s", cell.targetGiven() ? "(" + v + ")" : v));
            }
            out.println(line);
        }
        c.joint().ifPresentOrElse(j -> out.printf("joint coherence (prior samples on which every judge agrees): %.2f%% of %d%n",
                100 * j.accuracy(), j.rows()), () -> out.println("joint coherence: skipped, only one modality carries the class"));
        StringBuilder syn = new StringBuilder("synergy (mean cross coherence by number of given modalities):");
        c.synergy().forEach((k, v) -> syn.append(String.format(" %d: %.2f%%", k, 100 * v)));
        if (c.synergy().size() < 2) {
            syn.append(" (one point: only conditioning sets of this size leave a judged modality out)");
        }
        out.println(syn);
    }

    /** Every number by a flat name, in table order. */
    static Map<String, Double> flat(MetricSuite.Results r) {
        Map<String, Double> out = new LinkedHashMap<>();
        r.coherence().ifPresent(c -> {
            c.cells().stream().filter(cell -> !cell.targetGiven()).forEach(cell -> out.put(
                    "coherence[" + ConditioningSubsets.key(cell.given()) + "->" + cell.target() + "]", cell.count().accuracy()));
            c.joint().ifPresent(j -> out.put("coherence[joint]", j.accuracy()));
            c.synergy().forEach((k, v) -> out.put("synergy[" + k + "]", v));
        });
        r.latent().forEach(l -> out.put("latent[" + ConditioningSubsets.key(l.given()) + "]", l.accuracy()));
        r.frechet().forEach(f -> out.put("frechet[" + from(f.given()) + "->" + f.target() + "]", f.value()));
        return out;
    }

    /** The full results as JSON: judges, coherence cells (with counts), joint, synergy, latent, Fréchet, skipped. */
    static ObjectNode json(MetricSuite.Results r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ArrayNode judges = root.putArray("judges");
        r.judges().forEach(j -> judges.addObject().put("modality", j.name()).put("judge", j.describe()));
        r.coherence().ifPresent(c -> {
            ObjectNode co = root.putObject("coherence");
            co.put("rows", c.rows());
            ArrayNode cells = co.putArray("cells");
            c.cells().forEach(cell -> {
                ObjectNode o = cells.addObject();
                cell.given().forEach(o.putArray("given")::add);
                o.put("target", cell.target()).put("accuracy", cell.count().accuracy()).put("correct", cell.count().correct())
                        .put("rows", cell.count().rows()).put("targetGiven", cell.targetGiven());
            });
            c.joint().ifPresent(j -> co.put("joint", j.accuracy()));
            ObjectNode syn = co.putObject("synergy");
            c.synergy().forEach((k, v) -> syn.put(String.valueOf(k), v));
        });
        ArrayNode latent = root.putArray("latentAccuracy");
        r.latent().forEach(l -> {
            ObjectNode o = latent.addObject();
            l.given().forEach(o.putArray("given")::add);
            o.put("accuracy", l.accuracy()).put("trainRows", l.trainRows()).put("testRows", l.testRows());
        });
        ArrayNode frechet = root.putArray("frechet");
        r.frechet().forEach(d -> {
            ObjectNode o = frechet.addObject();
            o.put("given", from(d.given())).put("target", d.target()).put("distance", d.value()).put("rows", d.rows());
        });
        r.skipped().forEach(root.putArray("skipped")::add);
        return root;
    }

    private static String from(List<String> given) {
        return given.equals(SampleFrechet.PRIOR) ? "prior" : ConditioningSubsets.key(given);
    }
}
