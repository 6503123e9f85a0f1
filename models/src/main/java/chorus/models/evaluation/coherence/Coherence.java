package chorus.models.evaluation.coherence;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.SequenceText;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Coherence of generated modalities with the class of the data (Shi et al. 2019, MMVAE, Sect. 5; Sutter et
 * al. 2021, MoPoE, Sect. 5): a modality generated from q(z | X_S) is coherent when an independent judge of
 * that modality ({@link ClassJudge}: a classifier trained on the real data, or the argmax of a label)
 * names the class of the row it was generated from; prior samples are jointly coherent when the judges of
 * every generated modality agree. Between an image and its text: is the text decoded greedily from
 * q(z | image) exactly the image's? Counts are per batch so callers can add them up.
 */
public final class Coherence {

    private Coherence() {
    }

    /** Correct predictions out of rows. */
    public record Count(long correct, long rows) {

        /** No rows yet. */
        public static final Count NONE = new Count(0, 0);

        /** The sum of two counts. */
        public Count plus(Count other) {
            return new Count(correct + other.correct, rows + other.rows);
        }

        /** correct / rows (NaN for no rows). */
        public double accuracy() {
            return rows == 0 ? Double.NaN : (double) correct / rows;
        }
    }

    /**
     * Cross coherence S -&gt; m: one z ~ q(z | X_S) per row (seeded), modality {@code target} decoded to its
     * mean, judged by {@code judge}, against the row's class {@code truth}. Every row must observe a
     * modality of S.
     */
    public static Count cross(MultimodalVae model, PosteriorRule rule, Batch batch, List<String> given, int target,
            Function<INDArray, int[]> judge, int[] truth, long seed) {
        INDArray z = Generation.posterior(model, rule, batch, given).sample(seed, 0, 1);  // [B, D]
        return count(judge.apply(Generation.decode(model, target, z)), truth);
    }

    /**
     * Joint coherence of {@code n} prior samples: z ~ p(z), every modality of {@code judges} decoded from the
     * same z; a sample counts when all judges name the same class.
     */
    public static Count joint(MultimodalVae model, PosteriorRule rule, List<ClassJudge> judges, int n, long seed) {
        if (judges.size() < 2) {
            throw new IllegalArgumentException("joint coherence: " + judges.size()
                    + " modalities carrying the class, expected at least 2 to agree");
        }
        INDArray z = Generation.priorLatents(model, rule, n, seed);                             // [n, D]
        int[] first = judges.get(0).predict(Generation.decode(model, judges.get(0).modality(), z));
        boolean[] agree = new boolean[n];
        java.util.Arrays.fill(agree, true);
        for (ClassJudge j : judges.subList(1, judges.size())) {
            int[] other = j.predict(Generation.decode(model, j.modality(), z));
            for (int i = 0; i < n; i++) {
                agree[i] &= other[i] == first[i];
            }
        }
        long correct = 0;
        for (boolean a : agree) {
            correct += a ? 1 : 0;
        }
        return new Count(correct, n);
    }

    /**
     * Image to sequence (MultiMNIST's image to text): the text decoded greedily at the mean of q(z | image) equals
     * the row's text, every token up to its end. Every row must observe both modalities. With {@code image} the
     * sequence itself, it is the text's reconstruction accuracy.
     */
    public static Count imageToSequence(MultimodalVae model, PosteriorRule rule, Batch batch, int image, int sequence) {
        String name = model.modalities().get(image).name();
        INDArray z = Generation.posterior(model, rule, batch, List.of(name)).mean();          // [B, D]
        INDArray decoded = Generation.decode(model, sequence, z);                            // [B, L*V]
        Modality m = model.modalities().get(sequence);
        long correct = 0;
        for (int r = 0; r < batch.size(); r++) {
            correct += SequenceText.of(m, decoded, r).equals(SequenceText.of(m, batch.tensors().get(sequence), r)) ? 1 : 0;
        }
        return new Count(correct, batch.size());
    }

    /** The class of each row: the argmax of its one-hot label. */
    public static int[] truth(Batch batch, int label) {
        return batch.tensors().get(label).argMax(1).toIntVector();
    }

    private static Count count(int[] predicted, int[] truth) {
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += predicted[i] == truth[i] ? 1 : 0;
        }
        return new Count(correct, truth.length);
    }
}
