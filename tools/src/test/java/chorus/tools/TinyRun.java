package chorus.tools;

import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelFactory;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
import chorus.tools.run.Checkpoints;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A tiny Fashion-MNIST stand-in and a small model trained on it for seconds, for the tests of
 * checkpoints and of the commands that read them. Images are 28x28 like the real ones: class c lights a
 * band of rows 2c+4..2c+7 (plus noise), so a classifier or a VAE can tell the classes apart.
 */
public final class TinyRun {

    /** Rows of the generated training and test splits. */
    public static final int TRAIN_ROWS = 600;
    public static final int TEST_ROWS = 200;

    private TinyRun() {
    }

    /** The class of row {@code i} of a split. */
    public static int label(String split, int i) {
        return (i * 7 + (split.equals("train") ? 0 : 3)) % 10;
    }

    /** Writes the four uncompressed IDX files of both splits into {@code dir}; returns it. */
    public static Path fashionMnist(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String split : new String[] {"train", "test"}) {
                int n = split.equals("train") ? TRAIN_ROWS : TEST_ROWS;
                String prefix = split.equals("train") ? "train" : "t10k";
                ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(2051).putInt(n).putInt(28).putInt(28);
                ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(2049).putInt(n);
                SplittableRandom noise = new SplittableRandom(split.hashCode());
                for (int i = 0; i < n; i++) {
                    int c = label(split, i);
                    labels.put((byte) c);
                    for (int p = 0; p < 784; p++) {
                        int row = p / 28;
                        boolean lit = row >= 2 * c + 4 && row < 2 * c + 8;
                        images.put((byte) ((lit ? 180 : 0) + noise.nextInt(60)));
                    }
                }
                Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
                Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The -D overrides of a small model (latent 4) reading the generated files in {@code data}. */
    public static Map<String, String> overrides(Path data) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("chorus.data.path", data.toString());
        o.put("chorus.data.download", "false");
        o.put("chorus.data.batch-size", "20");
        o.put("chorus.model.latent", "4");
        o.put("chorus.model.learning-rate", "1e-2"); // learns the tiny data in about a hundred steps
        o.put("chorus.model.modalities.image.hidden", "[32]");
        o.put("chorus.model.modalities.label.hidden", "[16]");
        return o;
    }

    /** The resolved config of that model, with {@code extra} overrides ("key=value") on top. */
    public static Config config(Path data, String... extra) {
        Map<String, String> o = overrides(data);
        for (String kv : extra) {
            o.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return ChorusConfig.load(null, o);
    }

    /** A model after some training steps and where its data iterator stands. */
    public record Trained(MultimodalVae model, BatchIterator.Cursor cursor) {
    }

    /** The model of {@code c}, trained {@code steps} steps on the training split with the reference model. */
    public static Trained train(Config c, int steps) {
        return train(c, steps, r -> { });
    }

    /** The same, handing each step's result to {@code eachStep}. */
    public static Trained train(Config c, int steps, java.util.function.Consumer<ReferenceModel.StepResult> eachStep) {
        DataSettings ds = DataSettings.from(c);
        Dataset train = Datasets.load(ds, "train");
        ModelSettings ms = ModelSettings.from(c, train.modalities());
        MultimodalVae model = ModelFactory.build(ms, train.modalities(), DataType.FLOAT);
        Objective objective = ModelFactory.objective(ms, train.modalities());
        BatchIterator it = BatchIterator.training(train, ds.batchSize(), ds.seed());
        for (int i = 0; i < steps; i++) {
            Batch b = it.next();
            eachStep.accept(ReferenceModel.train(model, objective, b, 1.0, i, (int) (b.step() / it.batchesPerEpoch())));
        }
        return new Trained(model, it.cursor());
    }

    /** Trains {@code steps} steps and writes the checkpoint to {@code file}; returns the file. */
    public static Path checkpoint(Path file, Config c, int steps) {
        Trained t = train(c, steps);
        Checkpoints.capture(t.model(), steps, t.cursor(), c).write(file);
        return file;
    }
}
