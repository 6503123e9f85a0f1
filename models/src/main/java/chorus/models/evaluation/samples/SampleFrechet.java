package chorus.models.evaluation.samples;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Seeds;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.ConditioningSubsets;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.coherence.ClassJudge;
import chorus.models.evaluation.coherence.CoherenceTable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Quality and diversity of generated values ({@link FrechetDistance} in the feature space of Chorus's own
 * classifier of each modality: an FID analogue): for every modality judged by a trained classifier, the
 * distance between its real test values and the values generated from q(z | X_S) for every S without it,
 * and from the prior. Samples that are near-identical class means score high coherence but a large
 * distance, since their spread is far from the data's.
 */
public final class SampleFrechet {

    /** The conditioning set named for prior samples. */
    public static final List<String> PRIOR = List.of();

    private SampleFrechet() {
    }

    /** d^2 between real {@code target} values and those generated given {@code given} (empty: the prior). */
    public record Distance(List<String> given, String target, double value, int rows) {
    }

    /**
     * The distances over {@code rows} of {@code test} (each observing every modality); the sample of subset i
     * of batch b is seeded by (seed, b, i), the prior's by (seed, -1), so with the same seed the generated
     * values are those {@link CoherenceTable} judged.
     */
    public static List<Distance> evaluate(MultimodalVae model, PosteriorRule rule, Dataset test, int[] rows, int batchSize,
            List<ClassJudge> judges, long seed) {
        List<ClassJudge.Trained> trained = judges.stream().filter(ClassJudge.Trained.class::isInstance)
                .map(ClassJudge.Trained.class::cast).toList();
        List<String> names = model.dataModalities().stream().map(chorus.data.Modality::name).toList();
        List<List<String>> subsets = ConditioningSubsets.of(names);
        List<Distance> out = new ArrayList<>();
        if (rows.length < 2) {
            return out;
        }
        for (ClassJudge.Trained judge : trained) {
            INDArray real = judge.classifier().features(Nd4j.pullRows(test.data(judge.modality()), 1, rows)); // [N, F]
            for (int s = 0; s < subsets.size(); s++) {
                if (subsets.get(s).contains(judge.name())) {
                    continue;
                }
                List<INDArray> parts = new ArrayList<>();
                for (Batch b : test.batches(rows, batchSize)) {
                    INDArray z = Generation.posterior(model, rule, b, subsets.get(s))
                            .sample(Seeds.derive(Seeds.derive(seed, b.step()), s), 0, 1);           // [B, D]
                    parts.add(judge.classifier().features(Generation.decode(model, judge.modality(), z)));
                }
                INDArray generated = Nd4j.concat(0, parts.toArray(INDArray[]::new));          // [N, F]
                out.add(new Distance(subsets.get(s), judge.name(), FrechetDistance.between(real, generated), rows.length));
            }
            INDArray prior = Generation.decode(model, judge.modality(),
                    Generation.priorLatents(model, rule, rows.length, Seeds.derive(seed, -1)));     // [N, size]
            out.add(new Distance(PRIOR, judge.name(),
                    FrechetDistance.between(real, judge.classifier().features(prior)), rows.length));
        }
        return out;
    }
}
