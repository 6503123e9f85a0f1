package chorus.tools.evaluation;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.concat.Concatenation;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.tools.plots.ImageGrid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PNG grids a run writes at each evaluation, to watch a model learn: reconstructions of test rows,
 * images generated from each class label, and joint samples from the prior. Each holds at most 100 images,
 * and every draw is seeded by the model seed alone, so grids of successive steps show the same rows and
 * the same noise.
 */
public final class SampleGrids {

    private static final int COLUMNS = 10;
    private static final int ZOOM = 2;

    private SampleGrids() {
    }

    /**
     * Writes {@code dir/step-<step>-reconstruction.png} (test images above their reconstructions from every
     * modality the row observes), {@code dir/step-<step>-label-to-image.png} (a row of samples per class,
     * when there is a categorical modality) and {@code dir/step-<step>-prior.png} (64 joint prior samples,
     * captioned with the decoded class); returns the paths written. A model without an image modality has
     * nothing to draw and writes nothing; the concatenated VAE, which has no encoder for the label alone,
     * writes no label-to-image grid.
     */
    public static List<Path> write(MultimodalVae model, ModelSettings settings, Dataset test, Path dir, long step) {
        List<Modality> data = test.modalities();
        int image = Roles.image(data);
        if (image < 0) {
            return List.of();
        }
        int label = Roles.label(data);
        PosteriorRule rule = PosteriorRule.of(settings);
        List<String> names = label < 0 ? List.of() : Roles.classNames(test.name(), data.get(label));
        List<Path> out = new ArrayList<>();
        try {
            out.add(reconstructions(model, rule, ModelFactory.input(settings), test, image,
                    dir.resolve("step-" + step + "-reconstruction.png")));
            if (label >= 0 && !Concatenation.isConcatenated(model)) {
                out.add(labelToImage(model, rule, settings.seed(), image, label, names,
                        dir.resolve("step-" + step + "-label-to-image.png")));
            }
            List<INDArray> prior = decodeAll(model, data, Generation.priorLatents(model, rule, 64, settings.seed()));
            List<String> captions = label < 0 ? null : classes(prior.get(label), names);
            out.add(draw(data.get(image), prior.get(image), 8, captions, dir.resolve("step-" + step + "-prior.png")));
        } catch (IOException e) {
            throw new UncheckedIOException("sample grids in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Every data modality's decoded value {@code [R, size_m]} at joint latent points {@code z}. */
    public static List<INDArray> decodeAll(MultimodalVae model, List<Modality> data, INDArray z) {
        return perModality(model, data, Generation.decodeAll(model, z));
    }

    /** Values decoded per model modality as values per data modality: the concatenated VAE's joint one is split. */
    private static List<INDArray> perModality(MultimodalVae model, List<Modality> data, List<INDArray> decoded) {
        return Concatenation.isConcatenated(model) ? Concatenation.split(data, decoded.get(0)) : decoded;
    }

    /** Up to 30 test rows observing the image, in dataset order: rows of 10 originals, each above its reconstructions. */
    private static Path reconstructions(MultimodalVae model, PosteriorRule rule, UnaryOperator<Batch> input, Dataset test,
            int image, Path file) throws IOException {
        double[] observed = test.presence().getColumn(image).toDoubleVector();
        int[] rows = java.util.stream.IntStream.range(0, test.size()).filter(i -> observed[i] > 0.5).limit(30).toArray();
        Batch batch = test.batch(0, rows);
        INDArray originals = batch.tensors().get(image);                                  // [R, size]
        INDArray recon = perModality(model, test.modalities(), Generation.reconstruct(model, rule, input.apply(batch)))
                .get(image);                                                               // [R, size]
        List<INDArray> cells = new ArrayList<>();
        for (int from = 0; from < rows.length; from += COLUMNS) {
            int[] block = java.util.stream.IntStream.range(from, Math.min(rows.length, from + COLUMNS)).toArray();
            cells.add(padded(Nd4j.pullRows(originals, 1, block)));
            cells.add(padded(Nd4j.pullRows(recon.castTo(DataType.FLOAT), 1, block)));
        }
        return draw(test.modalities().get(image), Nd4j.concat(0, cells.toArray(INDArray[]::new)), COLUMNS, null, file);
    }

    /** One row per class (at most 10 classes): 10 images from z ~ q(z | label = c), captioned with the class. */
    private static Path labelToImage(MultimodalVae model, PosteriorRule rule, long seed, int image, int label,
            List<String> names, Path file) throws IOException {
        int classes = Math.min(10, model.modalities().get(label).size());
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, (long) classes * COLUMNS, model.modalities().get(label).size());
        List<String> captions = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < COLUMNS; i++) {
                oneHot.putScalar(c * COLUMNS + i, c, 1.0);
                captions.add(i == 0 ? names.get(c) : "");
            }
        }
        Batch batch = Generation.observing(model, label, oneHot);
        String name = model.modalities().get(label).name();
        INDArray images = Generation.conditional(model, rule, batch, List.of(name), seed).get(image);
        return draw(model.modalities().get(image), images, COLUMNS, captions, file);
    }

    /** The class name of the argmax of each row of class probabilities. */
    public static List<String> classes(INDArray probabilities, List<String> names) {
        return Arrays.stream(probabilities.argMax(1).toIntVector()).mapToObj(names::get).toList();
    }

    /** A block of fewer than 10 rows filled up to 10 with blank (white) cells, so originals and reconstructions align. */
    private static INDArray padded(INDArray block) {
        if (block.size(0) == COLUMNS) {
            return block;
        }
        return Nd4j.concat(0, block, Nd4j.ones(DataType.FLOAT, COLUMNS - block.size(0), block.size(1)));
    }

    /** A grid of {@code images [R, size]} of the image modality {@code image}, {@code columns} wide, optionally captioned. */
    public static Path draw(Modality image, INDArray images, int columns, List<String> captions, Path file) throws IOException {
        int[] shape = image.shape();
        ImageGrid.write(file, images, shape[0], shape[1], shape[2], columns, ZOOM, captions);
        return file;
    }
}
