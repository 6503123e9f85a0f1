package chorus.tools.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** File chores of a run directory: reading provenance, removing leftovers, cutting the metrics file back. */
final class RunFiles {

    private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");

    private RunFiles() {
    }

    /** The value of {@code key} in a {@code key = value} file such as provenance.txt, or null. */
    static String property(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
                    return line.substring(eq + 1).strip();
                }
            }
            return null;
        } catch (IOException e) {
            throw new RunDirectoryException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the files of {@code dir} whose names match {@code names}. */
    static void deleteMatching(Path dir, Pattern names) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> names.matcher(p.getFileName().toString()).matches()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new RunDirectoryException("cannot remove stale temporary files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Keeps the records of {@code metrics} up to {@code step} (and drops a line cut short by a crash), replacing
     * the file atomically. A metrics file that is not a regular file (a device, a pipe) is left alone.
     */
    static void truncateMetrics(Path metrics, long step) {
        if (!Files.isRegularFile(metrics)) {
            return;
        }
        try {
            List<String> kept = new ArrayList<>();
            List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            for (String line : lines) {
                Matcher m = STEP.matcher(line);
                if (line.endsWith("}") && m.find() && Long.parseLong(m.group(1)) <= step) {
                    kept.add(line);
                }
            }
            if (kept.size() == lines.size()) {
                return;
            }
            AtomicFile.write(metrics, out -> out.write((String.join("\n", kept) + (kept.isEmpty() ? "" : "\n"))
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | NumberFormatException e) {
            throw new RunDirectoryException("cannot cut " + metrics + " back to step " + step + " for the resumed run: "
                    + e.getMessage(), e);
        }
    }
}
