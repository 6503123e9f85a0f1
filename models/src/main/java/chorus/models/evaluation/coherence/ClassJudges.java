package chorus.models.evaluation.coherence;

import chorus.data.Dataset;
import chorus.data.Modality;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The judges of every modality of a dataset that carries its class ({@link Dataset#labels()}): a
 * categorical modality whose argmax is the class on every observed row is judged by that argmax; an image
 * or sequence modality by a classifier trained on its real training values (seeded, cached per dataset and
 * modality, {@link ImageClassifier}); attributes are not a class and have no judge.
 */
public final class ClassJudges {

    private ClassJudges() {
    }

    /** Why a dataset has no class to judge by, or empty when it has one. */
    public static Optional<String> notApplicable(Dataset data) {
        if (data.labels() == null) {
            return Optional.of(data.name() + " has no class labels");
        }
        return Optional.empty();
    }

    /** The number of classes: one more than the largest label of either split. */
    public static int classes(Dataset train, Dataset test) {
        return Math.max(Arrays.stream(train.labels()).max().orElse(0), Arrays.stream(test.labels()).max().orElse(0)) + 1;
    }

    /**
     * A judge per modality carrying the class, in modality order; the classifiers train on {@code train}
     * (every row, observed or not, since a masked value still shows its class) and are scored on the test
     * rows that observe the modality.
     */
    public static List<ClassJudge> of(Dataset train, Dataset test, Path cacheDir, ImageClassifier.Settings settings) {
        if (notApplicable(train).isPresent() || notApplicable(test).isPresent()) {
            throw new IllegalArgumentException(notApplicable(train).orElse(notApplicable(test).orElse("")) + ": no class judges");
        }
        int classes = classes(train, test);
        List<ClassJudge> out = new ArrayList<>();
        for (int m = 0; m < train.modalities().size(); m++) {
            Modality modality = train.modalities().get(m);
            if (isTheLabel(test, m, classes)) {
                out.add(new ClassJudge.Label(m, modality.name()));
            } else if (modality.kind() == Modality.Kind.IMAGE || modality.kind() == Modality.Kind.SEQUENCE) {
                out.add(trained(train, test, m, classes, cacheDir, settings));
            }
        }
        return out;
    }

    private static ClassJudge trained(Dataset train, Dataset test, int m, int classes, Path dir,
            ImageClassifier.Settings settings) {
        String key = train.name() + "-" + train.modalities().get(m).name();
        INDArray values = train.data(m);                                                  // [N, size]
        int[] labels = train.labels();
        ImageClassifier c = ImageClassifier.cached(dir, key, values, labels, classes, settings);
        Path file = ImageClassifier.cacheFile(dir, key, values, labels, classes, settings);
        int[] rows = observed(test, m);
        int[] truth = Arrays.stream(rows).map(r -> test.labels()[r]).toArray();
        double accuracy = rows.length == 0 ? Double.NaN : c.accuracy(Nd4j.pullRows(test.data(m), 1, rows), truth);
        return new ClassJudge.Trained(m, train.modalities().get(m).name(), c, file, accuracy, rows.length);
    }

    /** A categorical modality of size {@code classes} whose argmax is the label on every observed test row. */
    private static boolean isTheLabel(Dataset test, int m, int classes) {
        Modality modality = test.modalities().get(m);
        if (modality.kind() != Modality.Kind.CATEGORICAL || modality.size() != classes) {
            return false;
        }
        int[] rows = observed(test, m);
        if (rows.length == 0) {
            return false;
        }
        int[] argmax = Nd4j.pullRows(test.data(m), 1, rows).argMax(1).toIntVector();
        int[] labels = test.labels();
        return IntStream.range(0, rows.length).allMatch(i -> argmax[i] == labels[rows[i]]);
    }

    private static int[] observed(Dataset data, int m) {
        double[] p = data.presence().getColumn(m).toDoubleVector();
        return IntStream.range(0, p.length).filter(r -> p[r] > 0.5).toArray();
    }
}
