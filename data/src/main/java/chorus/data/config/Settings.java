package chorus.data.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, range-checked reads of full config paths ({@code chorus.data.batch-size}). Every failure is a
 * {@link SettingsException} of one line: the key, where its value came from, what was found and what
 * was expected. Settings records call these once, in their {@code from(Config)} factory.
 */
public final class Settings {

    private Settings() {
    }

    /** A string value. */
    public static String string(Config root, String path) {
        return read(root, path, "a string", () -> root.getString(path));
    }

    /** A boolean value ({@code true}/{@code false}). */
    public static boolean bool(Config root, String path) {
        return read(root, path, "true or false", () -> root.getBoolean(path));
    }

    /** A long value, any range; a number with a fraction is refused, not truncated. */
    public static long longValue(Config root, String path) {
        return read(root, path, "an integer", () -> whole(root, path));
    }

    /** An int in [min, max]; a number with a fraction is refused, not truncated. */
    public static int intIn(Config root, String path, int min, int max) {
        String expected = "an integer in [" + min + ", " + max + "]";
        long v = read(root, path, expected, () -> whole(root, path));
        if (v < min || v > max) {
            throw invalid(root, path, String.valueOf(v), expected);
        }
        return (int) v;
    }

    /**
     * The number at {@code path} if it is whole. Typesafe Config's getInt and getLong truncate 1.5 to 1, so
     * {@code batch-size = 1.5} would train at batch 1 while config.conf records 1.5.
     */
    private static long whole(Config root, String path) {
        Number n = root.getNumber(path);
        double d = n.doubleValue();
        if ((n instanceof Double || n instanceof Float) && !(Double.isFinite(d) && d == Math.rint(d)
                && Math.abs(d) < 0x1p63)) {
            throw new ConfigException.BadValue(path, "not a whole number");
        }
        return n.longValue();
    }

    /** A double in [min, max], or [min, max) when {@code maxExclusive}. */
    public static double doubleIn(Config root, String path, double min, double max, boolean maxExclusive) {
        String expected = "a number in [" + min + ", " + max + (maxExclusive ? ")" : "]");
        double v = read(root, path, expected, () -> root.getDouble(path));
        if (!(v >= min) || (maxExclusive ? v >= max : v > max)) {
            throw invalid(root, path, String.valueOf(v), expected);
        }
        return v;
    }

    /** An enum constant written in kebab case ({@code mixture-of-experts} for MIXTURE_OF_EXPERTS). */
    public static <E extends Enum<E>> E enumValue(Config root, String path, Class<E> type) {
        String raw = string(root, path);
        String constant = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(constant)) {
                return e;
            }
        }
        throw invalid(root, path, "'" + raw + "'", "one of " + kebabNames(type));
    }

    /** A list of positive integers, e.g. hidden layer sizes such as {@code [512, 512]}. */
    public static List<Integer> positiveInts(Config root, String path) {
        List<Integer> out = new ArrayList<>();
        try {
            for (Number n : root.getNumberList(path)) {
                if (n.intValue() < 1 || n.doubleValue() != n.intValue()) {
                    throw invalid(root, path, concise(root, path), "a list of positive integers");
                }
                out.add(n.intValue());
            }
        } catch (ConfigException e) {
            throw invalid(root, path, concise(root, path), "a list of positive integers, e.g. [512, 512]");
        }
        return out;
    }

    /** The value at {@code path} on one line, without the origin comments {@code render()} adds. */
    private static String concise(Config root, String path) {
        return root.getValue(path).render(com.typesafe.config.ConfigRenderOptions.concise());
    }

    /** A list of strings. */
    public static List<String> stringList(Config root, String path) {
        return read(root, path, "a list of strings", () -> List.copyOf(root.getStringList(path)));
    }

    /** A positive duration such as {@code 30s} or {@code 2 minutes}. */
    public static Duration positiveDuration(Config root, String path) {
        String expected = "a positive duration such as 30s or 2m";
        Duration d = read(root, path, expected, () -> root.getDuration(path));
        if (d.isNegative() || d.isZero()) {
            throw invalid(root, path, root.getValue(path).render(), expected);
        }
        return d;
    }

    /** A size in bytes such as {@code 64MiB}, in [min, max]. */
    public static long bytesIn(Config root, String path, long min, long max) {
        String expected = "a size in bytes such as 64MiB, from " + min + " to " + max;
        long v = read(root, path, expected, () -> root.getBytes(path));
        if (v < min || v > max) {
            throw invalid(root, path, root.getValue(path).render(), expected);
        }
        return v;
    }

    /** An object of name → fraction in [0, 1), e.g. {@code chorus.data.missing { label = 0.5 }}. */
    public static Map<String, Double> fractionMap(Config root, String path) {
        Config sub = read(root, path, "an object of name = fraction", () -> root.getConfig(path));
        Map<String, Double> out = new LinkedHashMap<>();
        for (String key : sub.root().keySet()) {
            String child = path + "." + quoteIfNeeded(key);
            out.put(key, doubleIn(root, child, 0.0, 1.0, true));
        }
        return Map.copyOf(out);
    }

    /** Where the value at {@code path} came from: {@code file:line}, or "the defaults". */
    public static String origin(Config root, String path) {
        try {
            ConfigValue v = root.getValue(path);
            return describe(v);
        } catch (ConfigException e) {
            return "no file (the key is missing)";
        }
    }

    static String describe(ConfigValue v) {
        var o = v.origin();
        if (o.filename() != null) {
            return o.filename() + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "");
        }
        if (o.url() != null) {
            return o.url().getPath().endsWith("reference.conf") ? "the defaults (reference.conf"
                    + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "") + ")" : o.description();
        }
        return o.description();
    }

    /** The kebab-case names of an enum's constants, for messages. */
    public static <E extends Enum<E>> String kebabNames(Class<E> type) {
        StringBuilder sb = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return sb.toString();
    }

    /** An error for a present value that is wrong. */
    public static SettingsException invalid(Config root, String path, String found, String expected) {
        return new SettingsException(path + " = " + found + " (" + origin(root, path) + "): expected " + expected);
    }

    private interface Reader<T> {
        T get();
    }

    private static <T> T read(Config root, String path, String expected, Reader<T> reader) {
        try {
            return reader.get();
        } catch (ConfigException.Missing e) {
            throw new SettingsException(path + " is missing: expected " + expected
                    + " (is conf/reference.conf on the classpath?)");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            ConfigValue v = root.getValue(path);
            String found = v.valueType() == ConfigValueType.STRING ? "'" + v.unwrapped() + "'" : v.render();
            throw new SettingsException(path + " = " + found + " (" + describe(v) + "): expected " + expected);
        }
    }

    private static String quoteIfNeeded(String key) {
        return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
    }
}
