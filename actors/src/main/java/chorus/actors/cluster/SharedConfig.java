package chorus.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The part of the resolved config every node of a cluster run must agree on: whatever changes what a worker
 * computes — the whole of {@code chorus.model} (networks, objective, seed, the optimiser's learning rate) and
 * the data keys that change a worker's inputs ({@code chorus.data.dataset}, {@code chorus.data.celeba.image-size}).
 * Where a node runs (cluster addresses, roles, ports, devices, replicas, threads) and what only the coordinator
 * reads (data paths, batches, missing fractions, training schedule, run directories) may differ. Values are
 * compared as their settings read them, not as written: a number or a string holding one in its plain decimal
 * form ({@code 1e-2}, {@code "0.010"} and {@code 0.01} agree), other strings unquoted, lists element by element.
 *
 * @param entries key → rendered value, sorted by key
 */
public record SharedConfig(SortedMap<String, String> entries) {

    /** No keys: nodes of a test that builds its settings by hand agree trivially. */
    public static final SharedConfig NONE = new SharedConfig(new TreeMap<>());

    /** The sections read whole. */
    private static final List<String> SECTIONS = List.of("chorus.model");

    /** Single keys outside them. */
    private static final List<String> KEYS = List.of("chorus.data.dataset", "chorus.data.celeba.image-size");

    public SharedConfig {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /** The shared keys of a resolved config (keys it lacks are left out, and then differ from a node that has them). */
    public static SharedConfig of(Config root) {
        SortedMap<String, String> out = new TreeMap<>();
        for (String section : SECTIONS) {
            if (root.hasPath(section)) {
                for (Map.Entry<String, ConfigValue> e : root.getConfig(section).entrySet()) {
                    out.put(section + "." + e.getKey(), canonical(e.getValue()));
                }
            }
        }
        for (String key : KEYS) {
            if (root.hasPath(key)) {
                out.put(key, canonical(root.getValue(key)));
            }
        }
        return new SharedConfig(out);
    }

    /** A value as the settings read it: numbers (also written as strings) in plain decimal, lists element-wise. */
    private static String canonical(ConfigValue v) {
        if (v.valueType() == ConfigValueType.LIST) {
            return ((ConfigList) v).stream().map(SharedConfig::canonical).collect(Collectors.joining(", ", "[", "]"));
        }
        if (v.valueType() == ConfigValueType.OBJECT) {
            return v.render(ConfigRenderOptions.concise());
        }
        String s = String.valueOf(v.unwrapped()).trim();
        try {
            return new BigDecimal(s).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException notANumber) {
            return s;
        }
    }

    /** SHA-256 of the sorted {@code key=value} lines, as 16 hex digits: equal digests, equal configs. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            entries.forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * The keys whose values differ, each with both values: {@code key = <here> here, <there> on <other>} ("absent"
     * for a key one side lacks); empty when the configs agree.
     */
    public List<String> differences(SharedConfig other, String otherName) {
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(entries.keySet());
        keys.addAll(other.entries.keySet());
        for (String k : keys) {
            String here = entries.getOrDefault(k, "absent");
            String there = other.entries.getOrDefault(k, "absent");
            if (!here.equals(there)) {
                out.add(k + " = " + here + " here, " + there + " on " + otherName);
            }
        }
        return out;
    }
}
