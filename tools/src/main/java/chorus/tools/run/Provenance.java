package chorus.tools.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
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

    /** The ND4J backend in use (e.g. CpuBackend), its data type, and whether its natives use oneDNN. */
    public static String backend() {
        String name = Nd4j.getBackend().getClass().getSimpleName() + " (" + Nd4j.dataType().name().toLowerCase();
        return name + (oneDnn() ? ", oneDNN)" : ")");
    }

    /** True when the loaded libnd4j was built with oneDNN (the {@code onednn} Maven profile). */
    static boolean oneDnn() {
        try {
            return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
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
