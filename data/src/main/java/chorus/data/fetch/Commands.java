package chorus.data.fetch;

import chorus.data.DataException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the fetchers that run a program ({@link NpmPack}, {@link AptDownload}) share: finding the program on
 * the PATH of an injected environment, running it with a time limit and turning a failure into one line
 * (the command, its exit code and the last line it printed), hashing what it fetched, and removing scratch
 * directories.
 */
final class Commands {

    private Commands() {
    }

    /** The executable {@code name} in the first PATH directory of {@code env} holding one. */
    static Optional<Path> onPath(Map<String, String> env, String name) {
        String path = env.getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, name)).filter(Files::isExecutable).findFirst();
    }

    /** {@link #onPath}, or a {@link DataException} naming the PATH searched and {@code remedy}. */
    static Path require(Map<String, String> env, String name, String remedy) {
        return onPath(env, name).orElseThrow(() -> new DataException(name + " not found on the PATH ("
                + env.getOrDefault("PATH", "PATH not set") + "); " + remedy));
    }

    /**
     * Runs {@code command} in {@code directory} (its output to {@code directory/<log>}); a non-zero exit, a
     * timeout or an interrupt is a {@link DataException} starting with {@code what}.
     */
    static void run(List<String> command, Path directory, String log, int timeoutSeconds, String what)
            throws IOException {
        Path logFile = directory.resolve(log);
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DataException(what + ": no result within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataException(what + ": interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new DataException(what + ": exit code " + process.exitValue() + ", expected 0 (" + lastLine(logFile) + ")");
        }
    }

    /** The last non-blank line of {@code log}, or "no output". */
    static String lastLine(Path log) throws IOException {
        String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    }

    /** The hex digest of {@code file} by {@code algorithm} (SHA-1, SHA-256: every Java platform has both). */
    static String hash(Path file, String algorithm) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks " + algorithm + ", which every Java platform must provide", e);
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists; a leftover is harmless (scratch names never match a dataset file). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // see the Javadoc: the scratch directory stays
        }
    }
}
