package chorus.models.evaluation;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.SequenceText;
import chorus.models.MultimodalVae;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cross-modal coherence between an image and its class label (Shi et al. 2019, MMVAE, Sect. 5; Wu &amp;
 * Goodman 2018 report the same image-to-label accuracy): does the label decoded from q(z | image) name
 * the image's class, and does an image generated from q(z | label) show that class, as judged by an
 * independent classifier ({@link ImageClassifier})? And between an image and its text: is the text decoded from
 * q(z | image) the image's? Counts are per batch so callers can add them up.
 */
public final class Coherence {

    private Coherence() {
    }

    /** Correct predictions out of rows. */
    public record Count(long correct, long rows) {

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
     * Image to label: the argmax of the label decoder's class probabilities at the mean of q(z | image),
     * against the row's label. Every row must observe both modalities.
     */
    public static Count imageToLabel(MultimodalVae model, PosteriorRule rule, Batch batch, int image, int label) {
        String name = model.modalities().get(image).name();
        INDArray z = Generation.posterior(model, rule, batch, List.of(name)).mean();          // [B, D]
        int[] predicted = Generation.decode(model, label, z).argMax(1).toIntVector();
        return count(predicted, truth(batch, label));
    }

    /**
     * Label to image: one image per row generated from z ~ q(z | label) (seeded), decoded to its mean and
     * classified by {@code classifier}, against the row's label.
     */
    public static Count labelToImage(MultimodalVae model, PosteriorRule rule, Batch batch, int image, int label,
            Function<INDArray, int[]> classifier, long seed) {
        String name = model.modalities().get(label).name();
        INDArray z = Generation.posterior(model, rule, batch, List.of(name)).sample(seed, 0, 1); // [B, D]
        return count(classifier.apply(Generation.decode(model, image, z)), truth(batch, label));
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
