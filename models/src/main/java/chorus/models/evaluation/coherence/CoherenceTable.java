package chorus.models.evaluation.coherence;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Seeds;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.ConditioningSubsets;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.SubsetPosterior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Coherence for every conditioning set S and every modality m that carries the class (Sutter et al. 2021,
 * MoPoE, Sect. 5): the fraction of test rows whose m generated from one z ~ q(z | X_S) is judged to be the
 * row's class. Cells with m outside S are cross coherence; with m inside S they measure how well m is
 * reconstructed (kept apart). <b>Synergy</b> is the mean cross coherence over the cells whose S has k
 * modalities, for each k (the PolyMNIST plot: does coherence rise with more given modalities?).
 * <b>Joint coherence</b> is that of prior samples ({@link Coherence#joint}).
 */
public final class CoherenceTable {

    private CoherenceTable() {
    }

    /** The coherence of modality {@code target} generated from q(z | X_given). */
    public record Cell(List<String> given, String target, Coherence.Count count) {

        /** Whether the target is one of the given modalities (a reconstruction, not cross coherence). */
        public boolean targetGiven() {
            return given.contains(target);
        }
    }

    /**
     * Every cell in subset order, the joint coherence of as many prior samples as test rows (empty with
     * fewer than two judges), and the synergy curve: k given modalities to mean cross coherence.
     */
    public record Result(List<Cell> cells, Optional<Coherence.Count> joint, SortedMap<Integer, Double> synergy, int rows) {
    }

    /**
     * Evaluates {@code rows} of {@code test} (each must observe every modality), in batches of
     * {@code batchSize}; the sample for subset i of batch b is seeded by (seed, b, i).
     */
    public static Result evaluate(MultimodalVae model, PosteriorRule rule, Dataset test, int[] rows, int batchSize,
            List<ClassJudge> judges, long seed) {
        if (rows.length == 0 || judges.isEmpty()) {
            throw new IllegalArgumentException("coherence: " + rows.length + " rows and " + judges.size()
                    + " judged modalities, expected at least one of each");
        }
        List<String> names = model.dataModalities().stream().map(chorus.data.Modality::name).toList();
        List<List<String>> subsets = ConditioningSubsets.of(names);
        Coherence.Count[][] counts = new Coherence.Count[subsets.size()][judges.size()];
        Arrays.stream(counts).forEach(row -> Arrays.fill(row, Coherence.Count.NONE));
        int[] labels = test.labels();
        for (Batch b : test.batches(rows, batchSize)) {
            int[] truth = Arrays.stream(b.rows()).map(r -> labels[r]).toArray();
            long batchSeed = Seeds.derive(seed, b.step());
            for (int s = 0; s < subsets.size(); s++) {
                SubsetPosterior q = Generation.posterior(model, rule, b, subsets.get(s));
                var z = q.sample(Seeds.derive(batchSeed, s), 0, 1);                    // [B, D]
                for (int j = 0; j < judges.size(); j++) {
                    ClassJudge judge = judges.get(j);
                    int[] predicted = judge.predict(Generation.decode(model, judge.modality(), z));
                    long correct = java.util.stream.IntStream.range(0, truth.length)
                            .filter(i -> predicted[i] == truth[i]).count();
                    counts[s][j] = counts[s][j].plus(new Coherence.Count(correct, truth.length));
                }
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int s = 0; s < subsets.size(); s++) {
            for (int j = 0; j < judges.size(); j++) {
                cells.add(new Cell(subsets.get(s), judges.get(j).name(), counts[s][j]));
            }
        }
        Optional<Coherence.Count> joint = judges.size() < 2 ? Optional.empty()
                : Optional.of(Coherence.joint(model, rule, judges, rows.length, Seeds.derive(seed, -1)));
        return new Result(cells, joint, synergy(cells), rows.length);
    }

    /** k given modalities to the mean accuracy of the cross-coherence cells (target not given) with |S| = k. */
    public static SortedMap<Integer, Double> synergy(List<Cell> cells) {
        SortedMap<Integer, double[]> sums = new TreeMap<>();
        for (Cell c : cells) {
            if (!c.targetGiven()) {
                double[] sum = sums.computeIfAbsent(c.given().size(), k -> new double[2]);
                sum[0] += c.count().accuracy();
                sum[1]++;
            }
        }
        SortedMap<Integer, Double> out = new TreeMap<>();
        sums.forEach((k, sum) -> out.put(k, sum[0] / sum[1]));
        return out;
    }
}
