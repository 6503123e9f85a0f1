package chorus.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size (Linux {@code VmHWM}), for run summaries and the README table. */
public final class PeakMemory {

    private PeakMemory() {
    }

    /** Peak RSS in MiB, or -1 where /proc is not available. */
    static long mebibytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public static String describe() {
        long mib = mebibytes();
        return mib < 0 ? "unknown" : mib + " MiB";
    }
}
