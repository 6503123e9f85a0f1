package chorus.tools.plots;

import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.samples.Pca;
import chorus.tools.run.AtomicFile;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code embeddings.png}: the posterior means E[z | x_m] of test rows for each modality m alone, and as many
 * samples of the prior p(z), projected together on their first two principal components ({@link Pca}; PCA,
 * not t-SNE or UMAP: see there) and drawn twice with XChart, coloured by the rows' class (prior samples
 * grey) and by source (which modality, or the prior). Where the unimodal posteriors of one class land
 * apart, the modalities disagree; prior samples outside the posteriors' region decode to unlikely values.
 */
public final class EmbeddingPlot {

    private static final int SIZE = 560;
    private static final int WIDTH = 700;
    /** Tableau's 10 colours, then more for datasets with more classes or modalities (then XChart's own). */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(188, 189, 34), new Color(23, 190, 207), new Color(0, 0, 0), new Color(174, 199, 232),
        new Color(255, 187, 120)};

    private EmbeddingPlot() {
    }

    /**
     * Draws {@code rows} of {@code test} (each observing every modality) to {@code png}; {@code classNames}
     * name the classes of {@code test.labels()} (the class panel is left out when the dataset has none).
     */
    public static void write(MultimodalVae model, PosteriorRule rule, Dataset test, int[] rows, List<String> classNames, long seed,
            Path png) {
        List<String> names = model.dataModalities().stream().map(Modality::name).toList();
        List<INDArray> blocks = new ArrayList<>();
        for (String m : names) {
            List<INDArray> parts = new ArrayList<>();
            for (Batch b : test.batches(rows, 200)) {
                parts.add(Generation.posterior(model, rule, b, List.of(m)).mean());     // [B, D]
            }
            blocks.add(Nd4j.concat(0, parts.toArray(INDArray[]::new)));
        }
        blocks.add(Generation.priorLatents(model, rule, rows.length, seed).castTo(blocks.get(0).dataType())); // [N, D]
        double[][] xy = Pca.project(Nd4j.concat(0, blocks.toArray(INDArray[]::new)), 2).toDoubleMatrix(); // [(M+1) N, 2]
        int n = rows.length;
        int[] labels = test.labels();
        Map<String, List<double[]>> byClass = new TreeMap<>();
        Map<String, List<double[]>> bySource = new java.util.LinkedHashMap<>();
        for (int s = 0; s <= names.size(); s++) {
            String source = s < names.size() ? "q(z | " + names.get(s) + ")" : "p(z)";
            for (int i = 0; i < n; i++) {
                double[] p = xy[s * n + i];
                bySource.computeIfAbsent(source, k -> new ArrayList<>()).add(p);
                if (labels != null && s < names.size()) {
                    int c = labels[rows[i]];
                    String key = String.format("%02d %s", c, c < classNames.size() ? classNames.get(c) : String.valueOf(c));
                    byClass.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                }
            }
        }
        List<BufferedImage> panels = new ArrayList<>();
        if (!byClass.isEmpty()) {
            byClass.put("zz prior", bySource.get("p(z)"));
            panels.add(BitmapEncoder.getBufferedImage(chart("by class (PCA of E[z | x_m] and p(z) samples)", byClass)));
        }
        panels.add(BitmapEncoder.getBufferedImage(chart("by source (PCA)", bySource)));
        BufferedImage sheet = new BufferedImage(panels.size() * WIDTH, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), i * WIDTH, 0, null);
        }
        g.dispose();
        try {
            AtomicFile.write(png, out -> ImageIO.write(sheet, "png", out));
        } catch (IOException e) {
            throw new UncheckedIOException("embeddings " + png + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static XYChart chart(String title, Map<String, List<double[]>> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(SIZE).title(title).xAxisTitle("PC 1").yAxisTitle("PC 2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendFont(chart.getStyler().getLegendFont().deriveFont(10f));
        int colour = 0;
        for (var e : series.entrySet()) {
            String name = e.getKey().startsWith("zz ") ? e.getKey().substring(3) : e.getKey().replaceFirst("^\\d\\d ", "");
            var s = chart.addSeries(name, e.getValue().stream().mapToDouble(p -> p[0]).toArray(),
                    e.getValue().stream().mapToDouble(p -> p[1]).toArray());
            s.setMarker(SeriesMarkers.CIRCLE);
            if (name.equals("prior") || name.equals("p(z)")) {
                s.setMarkerColor(new Color(150, 150, 150, 120));
            } else if (colour < PALETTE.length) {
                s.setMarkerColor(PALETTE[colour++]);
            }
        }
        return chart;
    }
}
