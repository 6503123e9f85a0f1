package chorus.models.evaluation.coherence;

import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Names the class that a modality's values show, to judge generated values against the class of the row
 * they came from ({@link Coherence}): the argmax of a modality that is the class label itself, or a
 * classifier Chorus trained on the real values of an image (or other) modality.
 */
public sealed interface ClassJudge {

    /** The modality judged, an index into the model's modalities. */
    int modality();

    /** Its name. */
    String name();

    /** The class of each row of {@code values [N, size]}. */
    int[] predict(INDArray values);

    /** One line: what judges and how well it does on real test data. */
    String describe();

    /** A categorical modality that is the class: its argmax. */
    record Label(int modality, String name) implements ClassJudge {

        @Override
        public int[] predict(INDArray values) {
            return values.argMax(1).toIntVector();
        }

        @Override
        public String describe() {
            return name + ": the class label itself (argmax), 100% on real data";
        }
    }

    /**
     * A trained classifier of modality {@code modality}, read from or written to {@code cache}, with its
     * accuracy on {@code testRows} real test rows.
     */
    record Trained(int modality, String name, ImageClassifier classifier, Path cache, double testAccuracy, int testRows)
            implements ClassJudge {

        @Override
        public int[] predict(INDArray values) {
            return classifier.predict(values);
        }

        @Override
        public String describe() {
            return String.format("%s: classifier %s (%s), test accuracy %.2f%% on %d real rows", name, cache,
                    classifier.fromCache() ? "read from the cache" : "trained", 100 * testAccuracy, testRows);
        }
    }
}
