package chorus.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.IVersionProvider;

/** What produced a result: Chorus version, git commit, ND4J backend, Java. Written beside every run. */
public final class Provenance {

    private Provenance() {
    }

    /** The project version baked in at build time. */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("/chorus/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The git commit of the checkout {@code ./chorus} runs from (plus "-dirty"), or "unknown". */
    public static String gitCommit() {
        String home = System.getProperty("chorus.home", ".");
        try {
            Process p = new ProcessBuilder("git", "-C", home, "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The ND4J backend in use (e.g. CpuBackend) and its data type. */
    public static String backend() {
        return Nd4j.getBackend().getClass().getSimpleName() + " (" + Nd4j.dataType().name().toLowerCase() + ")";
    }

    /** All of the above, in a stable order. */
    public static Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("version", version());
        m.put("git", gitCommit());
        m.put("backend", backend());
        m.put("java", System.getProperty("java.version"));
        m.put("host", hostName());
        return m;
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** picocli's {@code --version}. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"chorus " + version() + " (git " + gitCommit() + ")"};
        }
    }
}
