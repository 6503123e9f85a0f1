package chorus.tools;

import chorus.tools.report.HtmlReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chorus report RUN_DIR}: writes RUN_DIR/report.html ({@link HtmlReport}), one self-contained page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write RUN_DIR/report.html: config summary, provenance, curves, the newest sample grids and traversal,"
                + " embeddings and metric tables, images embedded (one self-contained page).",
                "For the full coherence, latent-accuracy and Frechet tables first run: chorus evaluate CHECKPOINT --json"
                        + " RUN_DIR/evaluation.json"})
final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by chorus train.")
    Path runDir;

    @Override
    public Integer call() {
        Path out = HtmlReport.write(runDir);
        System.out.println("wrote " + out);
        return 0;
    }
}
