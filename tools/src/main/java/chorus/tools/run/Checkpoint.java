package chorus.tools.run;

import chorus.data.BatchIterator;
import chorus.data.config.ChorusConfig;
import chorus.models.MultimodalVae;
import chorus.models.nn.Network;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything needed to resume a run or evaluate its model: the step, the data cursor, the resolved
 * {@code chorus} config, provenance ({@link Provenance#all()}), and per network ({@code encoder/<modality>},
 * {@code decoder/<modality>}) its flat parameters and its optimizer (Adam) state, bit for bit.
 *
 * <p>On disk it is a zip ({@link CheckpointArchive}) holding {@code checkpoint.properties} (format, version,
 * step, cursor, network names, provenance), {@code config.conf} (HOCON) and, per network,
 * {@code networks/<name>/params.nd4j} and {@code networks/<name>/updater.nd4j} (ND4J's binary array
 * format, which keeps data type and shape). Writes are atomic; reads check every entry's CRC.
 */
public final class Checkpoint {

    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    private static final String FORMAT = "chorus-checkpoint";
    private static final String META = "checkpoint.properties";
    private static final String CONFIG = "config.conf";

    private final long step;
    private final BatchIterator.Cursor cursor;
    private final String configText;
    private final Map<String, String> provenance;
    private final List<NetworkState> networks;
    private final String where;

    private Checkpoint(long step, BatchIterator.Cursor cursor, String configText, Map<String, String> provenance,
            List<NetworkState> networks, String where) {
        this.step = step;
        this.cursor = Objects.requireNonNull(cursor, "data cursor");
        this.configText = configText;
        this.provenance = Map.copyOf(provenance);
        this.networks = List.copyOf(networks);
        this.where = where;
        if (step < 0) {
            throw new IllegalArgumentException("checkpoint step " + step + ", expected >= 0");
        }
        if (networks.stream().map(NetworkState::name).distinct().count() != networks.size()) {
            throw new IllegalArgumentException("checkpoint networks " + networks.stream().map(NetworkState::name).toList()
                    + ": a name appears twice, expected one entry per network");
        }
    }

    /** A checkpoint of the given states; {@code resolved} is the whole resolved config (its {@code chorus} block is kept). */
    public static Checkpoint of(long step, BatchIterator.Cursor cursor, Config resolved, List<NetworkState> networks) {
        if (!resolved.hasPath(ChorusConfig.ROOT)) {
            throw new IllegalArgumentException("checkpoint config: no '" + ChorusConfig.ROOT
                    + "' block, expected the resolved config from ChorusConfig.load");
        }
        String text = resolved.withOnlyPath(ChorusConfig.ROOT).root().render(
                ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
        return new Checkpoint(step, cursor, text, Provenance.all(), networks, "checkpoint (step " + step + ", not read from a file)");
    }

    /** This checkpoint stamped with the run that writes it (provenance key {@code run}); {@code run} may be null. */
    public Checkpoint ofRun(String run) {
        Map<String, String> prov = new LinkedHashMap<>(provenance);
        if (run != null) {
            prov.put("run", run);
        }
        return new Checkpoint(step, cursor, configText, prov, networks, where);
    }

    /** Writes the checkpoint to {@code file} atomically: a reader sees the previous file or this one, whole. */
    public void write(Path file) {
        write(file, UnaryOperator.identity());
    }

    /** {@link #write(Path)} with the file's stream decorated by {@code wrap} (tests inject failures). */
    void write(Path file, UnaryOperator<OutputStream> wrap) {
        // serialised one entry at a time as the archive is written, so that only one array's bytes are on
        // the heap at once (all of them together are 3x the parameters: ~90 MiB for the conv MVAE)
        Map<String, Supplier<byte[]>> entries = new LinkedHashMap<>();
        byte[] meta = meta();
        entries.put(META, () -> meta);
        entries.put(CONFIG, () -> configText.getBytes(StandardCharsets.UTF_8));
        for (NetworkState n : networks) {
            entries.put(entryName(n.name(), "params"), () -> bytes(n.params()));
            entries.put(entryName(n.name(), "updater"), () -> bytes(n.updaterState()));
        }
        CheckpointArchive.write(file, entries, Set.of(META, CONFIG), wrap);
    }

    /** Reads a checkpoint; every problem is a {@link CheckpointException} naming {@code file}. */
    public static Checkpoint read(Path file) {
        Map<String, byte[]> entries = CheckpointArchive.read(file);
        String where = "checkpoint " + file;
        byte[] metaBytes = entries.get(META);
        if (metaBytes == null) {
            throw new CheckpointException(where + ": not a Chorus checkpoint (no " + META + " entry)");
        }
        Properties meta = new Properties();
        try {
            meta.load(new StringReader(new String(metaBytes, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException(where + ": corrupt " + META + " (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(meta.getProperty("format"))) {
            throw new CheckpointException(where + ": not a Chorus checkpoint (format '" + meta.getProperty("format") + "')");
        }
        if (!String.valueOf(VERSION).equals(meta.getProperty("version"))) {
            throw new CheckpointException(where + ": format version " + meta.getProperty("version")
                    + ", this Chorus reads version " + VERSION);
        }
        try {
            long step = Long.parseLong(meta.getProperty("step"));
            var cursor = new BatchIterator.Cursor(Long.parseLong(meta.getProperty("cursor.epoch")),
                    Integer.parseInt(meta.getProperty("cursor.position")));
            List<NetworkState> nets = new ArrayList<>();
            String names = meta.getProperty("networks");
            for (String name : names.isEmpty() ? new String[0] : names.split(",")) {
                nets.add(new NetworkState(name, array(entries, where, entryName(name, "params")),
                        array(entries, where, entryName(name, "updater"))));
            }
            Map<String, String> prov = new LinkedHashMap<>();
            meta.stringPropertyNames().stream().filter(k -> k.startsWith("provenance.")).sorted()
                    .forEach(k -> prov.put(k.substring("provenance.".length()), meta.getProperty(k)));
            byte[] config = entries.get(CONFIG);
            if (config == null) {
                throw new CheckpointException(where + ": corrupt (no " + CONFIG + " entry)");
            }
            return new Checkpoint(step, cursor, new String(config, StandardCharsets.UTF_8), prov, nets, where);
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new CheckpointException(where + ": corrupt " + META + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Sets every network's parameters and optimizer state. Nothing changes unless the model has exactly
     * this checkpoint's networks with the same parameter and state sizes; otherwise the error names the
     * first network that differs and both counts.
     */
    public void restoreInto(MultimodalVae model) {
        Map<String, NetworkState> byName = new LinkedHashMap<>();
        networks.forEach(n -> byName.put(n.name(), n));
        List<String> built = new ArrayList<>();
        forEachNetwork(model, (name, net) -> {
            built.add(name);
            NetworkState s = byName.get(name);
            if (s == null) {
                throw different("it has no network " + name + " (it has " + byName.keySet() + ")");
            }
            if (s.params().length() != net.numParams()) {
                throw different(name + " has " + s.params().length() + " parameters, this config builds " + net.numParams());
            }
            long state = net.updaterState().length();
            if (s.updaterState().length() != state) {
                throw different(name + " has " + s.updaterState().length() + " optimizer state values, this config builds " + state);
            }
        });
        for (String name : byName.keySet()) {
            if (!built.contains(name)) {
                throw different("it holds network " + name + ", which this config does not build (it builds " + built + ")");
            }
        }
        forEachNetwork(model, (name, net) -> {
            net.setParams(byName.get(name).params());
            net.setUpdaterState(byName.get(name).updaterState());
        });
    }

    /** The global step the checkpoint was taken after. */
    public long step() {
        return step;
    }

    /** Where the data iterator resumes. */
    public BatchIterator.Cursor cursor() {
        return cursor;
    }

    /**
     * The resolved config, rooted at {@code chorus} like {@link ChorusConfig#load}'s result. A key added to
     * the defaults after the checkpoint was written takes its default (which keeps the model it describes).
     */
    public Config config() {
        try {
            Config defaults = ConfigFactory.defaultReference().withOnlyPath(ChorusConfig.ROOT);
            return ConfigFactory.parseString(configText,
                    ConfigParseOptions.defaults().setOriginDescription(where + " " + CONFIG)).withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new CheckpointException(where + ": corrupt " + CONFIG + " (" + e.getMessage() + ")", e);
        }
    }

    /** Version, git commit, backend, Java and host of the process that wrote it. */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** Every network's state, encoders then decoders in modality order when captured from a model. */
    public List<NetworkState> networks() {
        return networks;
    }

    @Override
    public String toString() {
        return where + ": step " + step + ", " + networks.size() + " networks";
    }

    private CheckpointException different(String what) {
        return new CheckpointException(where + " was written for a different model: " + what);
    }

    private byte[] meta() {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("version", String.valueOf(VERSION));
        p.setProperty("step", String.valueOf(step));
        p.setProperty("cursor.epoch", String.valueOf(cursor.epoch()));
        p.setProperty("cursor.position", String.valueOf(cursor.position()));
        p.setProperty("networks", String.join(",", networks.stream().map(NetworkState::name).toList()));
        provenance.forEach((k, v) -> p.setProperty("provenance." + k, v));
        StringWriter out = new StringWriter();
        try {
            p.store(out, "Chorus checkpoint");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String entryName(String network, String part) {
        return "networks/" + network + "/" + part + ".nd4j";
    }

    private static byte[] bytes(INDArray array) {
        try (INDArray copy = array.dup('c')) { // a view would serialise its whole buffer; the copy is freed at once
            return Nd4j.toByteArray(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("serialising an array of shape " + java.util.Arrays.toString(array.shape()), e);
        }
    }

    private static INDArray array(Map<String, byte[]> entries, String where, String name) {
        byte[] b = entries.get(name);
        if (b == null) {
            throw new CheckpointException(where + ": corrupt (no " + name + " entry)");
        }
        try {
            return Nd4j.fromByteArray(b);
        } catch (RuntimeException e) {
            throw new CheckpointException(where + ": corrupt entry " + name + " (" + e.getMessage() + ")", e);
        }
    }

    /** Visits encoders then decoders, in modality order, with their checkpoint names. */
    /** Visits every network of {@code model} under its checkpoint entry name, encoders then decoders. */
    static void forEachNetwork(MultimodalVae model, java.util.function.BiConsumer<String, Network> visit) {
        for (int j = 0; j < model.modalities().size(); j++) {
            visit.accept(NetworkState.nameOf(true, model.modalities().get(j).name()), model.encoders().get(j));
        }
        for (int j = 0; j < model.modalities().size(); j++) {
            visit.accept(NetworkState.nameOf(false, model.modalities().get(j).name()), model.decoders().get(j));
        }
    }
}
