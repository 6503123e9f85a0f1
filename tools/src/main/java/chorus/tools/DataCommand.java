package chorus.tools;

import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.MissingModalities;
import chorus.data.Modality;
import chorus.data.SequenceText;
import chorus.data.config.ChorusConfig;
import chorus.data.idx.FashionMnist;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chorus data ...}: look at datasets. */
@Command(name = "data", description = "Inspect datasets.", mixinStandardHelpOptions = true,
        subcommands = DataCommand.Show.class)
final class DataCommand {

    /** {@code chorus data show DATASET}: where it was found, counts, shapes, labels, missing, a PNG grid. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print where DATASET was found, its counts, shapes, label histogram and missing-modality"
                    + " counts, and write a PNG grid of examples with their labels (one column per image modality when"
                    + " there are several; sequences as text).")
    static final class Show extends CommonOptions.Holder implements Callable<Integer> {

        @Parameters(paramLabel = "DATASET", description = "fashion-mnist, mnist, multimnist, celeba, celeba19, twoviews, polymnist or mnist-svhn.")
        String dataset;

        @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--out", description = "Write a PNG grid of 64 examples here.")
        Path out;

        @Option(names = "--config", paramLabel = "FILE", description = "An experiment file to take data settings from.")
        Path config;

        @Override
        public Integer call() throws Exception {
            if (out != null) {
                ImageGrid.checkWritable("--out", out); // before the data is read, so a bad path costs nothing
            }
            Map<String, String> overrides = new HashMap<>(common.overrides());
            overrides.put("chorus.data.dataset", dataset);
            Config c = ChorusConfig.load(config, overrides);
            Dataset data = Datasets.load(DataSettings.from(c), split);
            var outStream = System.out;
            outStream.printf("%s (%s split) from %s%n", data.name(), data.split(), data.source());
            outStream.printf("rows: %d%n", data.size());
            Map<String, Long> missing = MissingModalities.countMissing(data);
            for (Modality m : data.modalities()) {
                outStream.printf("  %-8s %-12s shape %-12s likelihood %-11s missing %d (%.1f%%)%n", m.name(),
                        m.kind().name().toLowerCase(), Arrays.toString(m.shape()), m.likelihood().name().toLowerCase(),
                        missing.getOrDefault(m.name(), 0L), 100.0 * missing.getOrDefault(m.name(), 0L) / data.size());
            }
            printHistogram(data, outStream);
            printPositives(data, outStream);
            if (out != null) {
                writeGrid(data, out);
                outStream.printf("wrote %s%n", out);
            }
            return 0;
        }

        private static void printHistogram(Dataset data, java.io.PrintStream outStream) {
            int[] labels = data.labels();
            if (labels == null) {
                return;
            }
            int classes = Arrays.stream(labels).max().orElse(-1) + 1;
            long[] counts = new long[classes];
            for (int l : labels) {
                counts[l]++;
            }
            outStream.println("label histogram:");
            long max = Arrays.stream(counts).max().orElse(1);
            for (int k = 0; k < classes; k++) {
                outStream.printf("  %d %-12s %6d %s%n", k, className(data, k), counts[k],
                        "#".repeat((int) Math.round(40.0 * counts[k] / max)));
            }
        }

        /** For each attribute modality (0/1 values), how many rows have each value 1. */
        private static void printPositives(Dataset data, java.io.PrintStream outStream) {
            for (int j = 0; j < data.modalities().size(); j++) {
                Modality m = data.modalities().get(j);
                if (m.kind() == Modality.Kind.ATTRIBUTES && m.likelihood() == chorus.data.LikelihoodKind.BERNOULLI) {
                    long[] ones = Arrays.stream(data.data(j).sum(0).toDoubleVector()).mapToLong(Math::round).toArray();
                    outStream.printf("  %-20s value 1 in %s of %d rows%n", m.name(),
                            ones.length == 1 ? String.valueOf(ones[0]) : Arrays.toString(ones), data.size());
                }
            }
        }

        private static String className(Dataset data, int k) {
            return data.name().equals(FashionMnist.NAME) ? FashionMnist.CLASS_NAMES.get(k) : String.valueOf(k);
        }

        /**
         * 64 examples of the one image modality in 8 columns; with K image modalities, 64 / K examples (at least 8),
         * each as K cells side by side ({@link ModalityRows}), 8 / K examples (at least 1) per grid row.
         */
        private static void writeGrid(Dataset data, Path out) throws java.io.IOException {
            List<Integer> images = ModalityRows.imageModalities(data.modalities());
            if (images.isEmpty()) {
                throw new IllegalArgumentException("--out: dataset " + data.name() + " has no image modality to draw");
            }
            int n = Math.min(images.size() == 1 ? 64 : Math.max(8, 64 / images.size()), data.size());
            int[] rows = new int[n];
            Arrays.setAll(rows, i -> i);
            var batch = data.batch(0, rows);
            List<String> captions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StringBuilder caption = new StringBuilder(data.labels() == null ? "" : className(data, data.labels()[i]));
                for (int m = 0; m < data.modalities().size(); m++) {
                    Modality mod = data.modalities().get(m);
                    if (mod.kind() == Modality.Kind.SEQUENCE && batch.presence().getDouble(i, m) >= 0.5) {
                        caption.append(caption.length() == 0 ? "" : " ").append('"')
                                .append(SequenceText.of(mod, batch.tensors().get(m), i)).append('"');
                    }
                    if (batch.presence().getDouble(i, m) < 0.5) {
                        caption.append(" -").append(data.modalities().get(m).name()); // not observed in this row
                    }
                }
                if (images.size() == 1) {
                    captions.add(caption.toString());
                    continue;
                }
                for (int k : images) { // every cell names its modality; the first also the row's class
                    captions.add((k == images.get(0) ? caption + " " : "") + data.modalities().get(k).name());
                }
            }
            if (images.size() == 1) {
                int[] shape = data.modalities().get(images.get(0)).shape();
                ImageGrid.write(out, batch.tensors().get(images.get(0)), shape[0], shape[1], shape[2], 8, 3, captions);
                return;
            }
            ModalityRows.Canvas canvas = ModalityRows.of(data.modalities(), batch.tensors(), images, n);
            int perRow = Math.max(1, 8 / images.size()); // examples side by side: 4 pairs, 1 set of 5
            ImageGrid.write(out, canvas.images(), 3, canvas.height(), canvas.width(), canvas.columns() * perRow, 3,
                    captions);
        }
    }
}
