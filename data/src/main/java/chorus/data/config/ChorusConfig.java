package chorus.data.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the configuration once: command-line overrides ({@code -Dchorus.x.y=v}), over the experiment
 * file, over the defaults ({@code conf/reference.conf}, shipped on the classpath). Every {@code chorus.*}
 * key the user wrote must exist in the defaults, except inside an object the defaults leave empty
 * (an open map such as {@code chorus.data.missing}, whose entries the owning settings record checks).
 *
 * <p>Keys outside {@code chorus} (for example {@code akka.*}) pass through untouched.
 */
public final class ChorusConfig {

    /** The root every Chorus key lives under. */
    public static final String ROOT = "chorus";

    private ChorusConfig() {
    }

    /**
     * The resolved configuration.
     *
     * @param experiment the experiment file, or null for the defaults alone
     * @param overrides  {@code key -> value} pairs from the command line, values in HOCON syntax
     */
    public static Config load(Path experiment, Map<String, String> overrides) {
        Config reference = ConfigFactory.defaultReference();
        if (!reference.hasPath(ROOT)) {
            throw new SettingsException("the defaults (reference.conf with a 'chorus' block) are not on the classpath");
        }
        Config user = ConfigFactory.empty();
        if (experiment != null) {
            if (!Files.isRegularFile(experiment)) {
                throw new SettingsException(experiment + ": no such config file");
            }
            try {
                user = ConfigFactory.parseFile(experiment.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new SettingsException(experiment + ": " + e.getMessage());
            }
        }
        Config cli = parseOverrides(overrides);
        Config system = ConfigFactory.systemProperties().withOnlyPath(ROOT);
        Config given = cli.withFallback(system).withFallback(user);
        checkKnownKeys(given, reference);
        try {
            return given.withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage());
        }
    }

    /** Parses {@code key=value} pairs; a value is read as HOCON (numbers, booleans, lists, strings). */
    static Config parseOverrides(Map<String, String> overrides) {
        Config out = ConfigFactory.empty();
        for (var e : overrides.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(ROOT + ".") && !key.startsWith("akka.")) {
                throw new SettingsException("-D" + key + ": expected a key under 'chorus.' (or 'akka.')");
            }
            try {
                Config one = ConfigFactory.parseString(key + " = " + quoteIfBare(e.getValue()),
                        ConfigParseOptions.defaults().setOriginDescription("command line -D" + key));
                out = one.withFallback(out);
            } catch (ConfigException ex) {
                throw new SettingsException("-D" + key + "=" + e.getValue() + ": not a valid value (" + ex.getMessage() + ")");
            }
        }
        return out;
    }

    private static String quoteIfBare(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            return "\"\"";
        }
        if (v.startsWith("[") || v.startsWith("{") || v.startsWith("\"")
                || v.matches("-?[0-9.eE+-]+|true|false|null|[A-Za-z0-9_.-]+")) {
            return v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Fails on the first {@code chorus.*} key of {@code given} that the defaults do not know. */
    static void checkKnownKeys(Config given, Config reference) {
        if (!given.hasPath(ROOT)) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        for (var entry : given.withOnlyPath(ROOT).entrySet()) {
            String path = entry.getKey();
            if (!isKnown(path, reference)) {
                unknown.add(path);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.stream().sorted().findFirst().orElseThrow();
            ConfigValue v = given.getValue(first);
            String hint = suggestion(first, reference);
            throw new SettingsException("unknown key " + first + " (" + Settings.describe(v) + ")"
                    + (hint.isEmpty() ? "" : ": did you mean " + hint + "?")
                    + (unknown.size() > 1 ? " (" + (unknown.size() - 1) + " more unknown)" : ""));
        }
    }

    private static boolean isKnown(String path, Config reference) {
        if (reference.hasPathOrNull(path)) {
            return true;
        }
        String parent = path;
        while (parent.contains(".")) {
            parent = parent.substring(0, parent.lastIndexOf('.'));
            if (reference.hasPathOrNull(parent)) {
                ConfigValue v = reference.getValue(parent);
                return v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).isEmpty();
            }
        }
        return false;
    }

    private static String suggestion(String path, Config reference) {
        int dot = path.lastIndexOf('.');
        String parent = path.substring(0, dot);
        String leaf = path.substring(dot + 1);
        if (!reference.hasPath(parent) || reference.getValue(parent).valueType() != ConfigValueType.OBJECT) {
            return "";
        }
        String best = "";
        int bestDistance = Integer.MAX_VALUE;
        for (String sibling : reference.getConfig(parent).root().keySet()) {
            int d = editDistance(leaf, sibling);
            if (d < bestDistance) {
                bestDistance = d;
                best = parent + "." + sibling;
            }
        }
        return bestDistance <= Math.max(2, leaf.length() / 3) ? best : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
