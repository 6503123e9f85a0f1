package chorus.tools.plots;

import chorus.tools.run.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code curves.png}: a run's metrics.jsonl drawn with XChart, one panel each for the loss (train intervals
 * and test evaluations), the KL terms, beta, the evaluation metrics in [0, 1] (coherence, synergy, latent
 * accuracy) and the Fréchet distances. Panels without data are left out. Written through a temporary file
 * and a rename, so a reader never sees half an image.
 */
public final class TrainingCurves {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 680;
    private static final int HEIGHT = 360;

    private TrainingCurves() {
    }

    /** Series of (step, value) by name, in the order first seen. */
    private static final class Panel {
        final String title;
        final String yTitle;
        final Map<String, List<double[]>> series = new LinkedHashMap<>();

        Panel(String title, String yTitle) {
            this.title = title;
            this.yTitle = yTitle;
        }

        void add(String name, double step, double value) {
            if (Double.isFinite(value)) {
                series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {step, value});
            }
        }
    }

    /** Draws the records of {@code metrics} (JSON lines; a torn last line is skipped), plus {@code extra}, to {@code png}. */
    public static void write(Path metrics, List<JsonNode> extra, Path png) {
        List<JsonNode> records = new ArrayList<>(read(metrics));
        records.addAll(extra);
        Panel loss = new Panel("loss (train: with the annealed beta; test: beta = 1)", "loss");
        Panel kl = new Panel("KL terms", "nats");
        Panel beta = new Panel("beta (KL weight)", "beta");
        Panel scores = new Panel("evaluation metrics", "accuracy");
        Panel frechet = new Panel("Frechet distance (classifier features)", "d^2");
        for (JsonNode r : records) {
            double step = r.path("step").asDouble();
            boolean train = "train".equals(r.path("type").asText());
            String side = train ? "train " : "test ";
            loss.add(side + "loss", step, r.path("loss").asDouble(Double.NaN));
            if (train) {
                beta.add("beta", step, r.path("beta").asDouble(Double.NaN));
            }
            fields(r.path("terms"), name -> name.startsWith("kl"), (name, v) -> kl.add(side + name, step, v));
            fields(r.path("metrics"), name -> !name.startsWith("frechet"), (name, v) -> scores.add(name, step, v));
            fields(r.path("metrics"), name -> name.startsWith("frechet"), (name, v) -> frechet.add(name, step, v));
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (Panel p : List.of(loss, kl, beta, scores, frechet)) {
            if (!p.series.isEmpty()) {
                panels.add(BitmapEncoder.getBufferedImage(chart(p)));
            }
        }
        if (panels.isEmpty()) {
            return;
        }
        int columns = Math.min(2, panels.size());
        int rows = (panels.size() + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), (i % columns) * WIDTH, (i / columns) * HEIGHT, null);
        }
        g.dispose();
        try {
            AtomicFile.write(png, out -> ImageIO.write(sheet, "png", out));
        } catch (IOException e) {
            throw new UncheckedIOException("curves " + png + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static XYChart chart(Panel p) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(p.title).xAxisTitle("step")
                .yAxisTitle(p.yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(9f));
        chart.getStyler().setMarkerSize(4);
        for (var e : p.series.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(v -> v[0]).toArray();
            double[] y = e.getValue().stream().mapToDouble(v -> v[1]).toArray();
            var s = chart.addSeries(e.getKey(), x, y);
            if (x.length > 20) {
                s.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    private static void fields(JsonNode object, Predicate<String> keep, java.util.function.ObjDoubleConsumer<String> add) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            var f = it.next();
            if (keep.test(f.getKey()) && f.getValue().isNumber()) {
                add.accept(f.getKey(), f.getValue().asDouble());
            }
        }
    }

    private static List<JsonNode> read(Path metrics) {
        List<JsonNode> out = new ArrayList<>();
        if (metrics == null || !Files.isRegularFile(metrics)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException torn) {
                    // the reporter is appending this line right now; the next drawing has it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("curves: cannot read " + metrics + " (" + e.getMessage() + ")", e);
        }
        return out;
    }
}
