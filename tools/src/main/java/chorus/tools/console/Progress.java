package chorus.tools.console;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A console progress bar with rate and ETA. On a terminal it redraws one line in place (at most every
 * 200 ms); elsewhere (CI, a pipe, a log file) it prints a plain line every 10% so logs stay short.
 * Not thread-safe: one owner updates it.
 */
public final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final boolean interactive;
    private final long started = System.nanoTime();
    private long lastDraw;
    private long lastDecile = -1;
    private long done;

    /** A bar for {@code total} units of {@code unit} (e.g. "steps") on {@code out}. */
    public Progress(PrintStream out, String label, long total, String unit, boolean interactive) {
        if (total < 1) {
            throw new IllegalArgumentException("progress total must be >= 1, got " + total);
        }
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.interactive = interactive;
    }

    /** A bar on standard error, redrawn in place when a console is attached and CI is unset. */
    public static Progress console(String label, long total, String unit) {
        boolean tty = System.console() != null && System.getenv("CI") == null;
        return new Progress(System.err, label, total, unit, tty);
    }

    /** Sets the units done so far and redraws if due. */
    public void update(long doneSoFar) {
        done = Math.min(doneSoFar, total);
        long now = System.nanoTime();
        if (interactive) {
            if (now - lastDraw > 200_000_000L || done == total) {
                out.print("\r" + line(now));
                out.flush();
                lastDraw = now;
            }
        } else {
            long decile = done * 10 / total;
            if (decile != lastDecile) {
                out.println(line(now));
                lastDecile = decile;
            }
        }
    }

    /** The text of the bar at {@code now} (nanoTime). */
    String line(long now) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        int filled = (int) (WIDTH * done / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String eta = rate > 0 && done < total ? format(Duration.ofSeconds((long) ((total - done) / rate))) : "--:--";
        return String.format("%s [%s] %d/%d %s  %.1f %s/s  elapsed %s  eta %s", label, bar, done, total, unit, rate,
                unit, format(Duration.ofSeconds((long) seconds)), done == total ? "0:00" : eta);
    }

    private static String format(Duration d) {
        long h = d.toHours();
        return h > 0 ? String.format("%d:%02d:%02d", h, d.toMinutesPart(), d.toSecondsPart())
                : String.format("%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }

    /** Ends the bar's line. */
    @Override
    public void close() {
        if (interactive) {
            out.println();
        }
    }
}
