package chorus.models.evaluation.coherence;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.ConditioningSubsets;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Latent representation accuracy (Sutter et al. 2021, MoPoE, Sect. 5; Shi et al. 2019 use the same linear
 * probe): a linear classifier (softmax regression, {@link ImageClassifier} without hidden layers, seeded)
 * trained on the posterior means E[z | X_S] of training rows and scored on those of test rows, for each
 * conditioning set S. High accuracy means the class is linearly readable from what the encoders infer.
 */
public final class LatentAccuracy {

    /** How the probe is trained: no hidden layer, 10 epochs of Adam at 1e-2, seed 11. */
    public static final ImageClassifier.Settings PROBE = new ImageClassifier.Settings(List.of(), 10, 100, 1e-2, 11);

    private LatentAccuracy() {
    }

    /** The probe's test accuracy on E[z | X_given]. */
    public record Row(List<String> given, double accuracy, int trainRows, int testRows) {
    }

    /**
     * One row per conditioning set of {@link ConditioningSubsets}; {@code trainRows} and {@code testRows}
     * must observe every modality.
     */
    public static List<Row> evaluate(MultimodalVae model, PosteriorRule rule, Dataset train, int[] trainRows, Dataset test,
            int[] testRows, int batchSize) {
        if (trainRows.length == 0 || testRows.length == 0) {
            throw new IllegalArgumentException("latent accuracy: " + trainRows.length + " training and " + testRows.length
                    + " test rows, expected at least one of each");
        }
        int classes = ClassJudges.classes(train, test);
        List<String> names = model.dataModalities().stream().map(chorus.data.Modality::name).toList();
        List<Row> out = new ArrayList<>();
        for (List<String> given : ConditioningSubsets.of(names)) {
            INDArray xTrain = means(model, rule, train, trainRows, batchSize, given);          // [Ntrain, D]
            INDArray xTest = means(model, rule, test, testRows, batchSize, given);             // [Ntest, D]
            ImageClassifier probe = ImageClassifier.train(xTrain, labels(train, trainRows), classes, PROBE);
            out.add(new Row(given, probe.accuracy(xTest, labels(test, testRows)), trainRows.length, testRows.length));
        }
        return out;
    }

    /** The probe's test accuracy on the mean of one encoder's own posterior E[z | x_m] (the model's modality {@code encoder}). */
    public record EncoderRow(String encoder, double accuracy, int trainRows, int testRows) {
    }

    /**
     * One row per encoder of the model (an encoder-only joint encoder included): the probe on the mean of that
     * encoder's own expert, read from the batch as {@code input} turns it into the model's input. The seed notes'
     * table of the factorised MMVAE reports exactly this, per latent: its MMVAE's experts and its unimodal VAEs'
     * encoders ({@code <modality>-uni}).
     */
    public static List<EncoderRow> perEncoder(MultimodalVae model, java.util.function.UnaryOperator<Batch> input, Dataset train,
            int[] trainRows, Dataset test, int[] testRows, int batchSize) {
        if (trainRows.length == 0 || testRows.length == 0) {
            throw new IllegalArgumentException("latent accuracy per encoder: " + trainRows.length + " training and "
                    + testRows.length + " test rows, expected at least one of each");
        }
        int classes = ClassJudges.classes(train, test);
        List<EncoderRow> out = new ArrayList<>();
        for (int j = 0; j < model.modalities().size(); j++) {
            INDArray xTrain = encoderMeans(model, j, input, train, trainRows, batchSize);       // [Ntrain, D_j]
            INDArray xTest = encoderMeans(model, j, input, test, testRows, batchSize);          // [Ntest, D_j]
            ImageClassifier probe = ImageClassifier.train(xTrain, labels(train, trainRows), classes, PROBE);
            out.add(new EncoderRow(model.modalities().get(j).name(), probe.accuracy(xTest, labels(test, testRows)),
                    trainRows.length, testRows.length));
        }
        return out;
    }

    private static INDArray encoderMeans(MultimodalVae model, int j, java.util.function.UnaryOperator<Batch> input, Dataset data,
            int[] rows, int batchSize) {
        List<INDArray> parts = new ArrayList<>();
        for (Batch b : data.batches(rows, batchSize)) {
            parts.add(Generation.encode(model, j, input.apply(b).tensors().get(j)).mu());        // [B, D_j]
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** E[z | X_given] {@code [N, D]} of the rows, in order. */
    static INDArray means(MultimodalVae model, PosteriorRule rule, Dataset data, int[] rows, int batchSize,
            List<String> given) {
        List<INDArray> parts = new ArrayList<>();
        for (Batch b : data.batches(rows, batchSize)) {
            parts.add(Generation.posterior(model, rule, b, given).mean());                   // [B, D]
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private static int[] labels(Dataset data, int[] rows) {
        int[] all = data.labels();
        return Arrays.stream(rows).map(r -> all[r]).toArray();
    }
}
