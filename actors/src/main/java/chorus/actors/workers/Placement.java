package chorus.actors.workers;

import chorus.data.Modality;
import chorus.data.config.Settings;
import chorus.data.config.SettingsException;
import chorus.models.MultimodalVae;
import chorus.models.nn.kernel.IntraOp;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where each modality's workers run ({@code chorus.workers.<modality>.device = cpu | cuda:N}), how many
 * replicas of them split each request's rows ({@code replicas}, on {@code devices}, one each, or all on
 * {@code device}), and the dispatcher of each device: one thread pool per device, so workers on one GPU
 * share that GPU's threads and never steal the CPU pool's. Checked once at start: asking for a GPU that
 * this build or machine does not have, or that this CUDA build has no kernels for ({@link CudaDevices}), or for
 * replicas that cannot each have a row, is one line naming the key.
 */
public final class Placement {

    private static final Pattern CUDA = Pattern.compile("cuda:(\\d+)");

    /** A device: {@code cpu} or {@code cuda:N}. */
    public record Device(String name, int cudaIndex) {

        public static final Device CPU = new Device("cpu", -1);

        /** The Akka dispatcher id of this device's thread pool. */
        public String dispatcher() {
            return "chorus.dispatchers." + name.replace(':', '-');
        }

        /** Binds the calling thread to this device (a no-op on the CPU). */
        void attachCurrentThread() {
            if (cudaIndex >= 0) {
                Nd4j.getAffinityManager().unsafeSetDevice(cudaIndex);
            }
        }

        /** Whether this is the CPU, where a worker's networks split their layers over {@link IntraOp} threads. */
        public boolean isCpu() {
            return cudaIndex < 0;
        }
    }

    private static final List<String> SETTINGS = List.of("device", "replicas", "devices");
    private static final String INTRA_OP_THREADS = "chorus.intra-op-threads";
    private static final String INTRA_OP_MIN_CHUNK = "chorus.intra-op-min-chunk";

    private final List<List<Device>> devices; // per modality, in modality order: one device per replica
    private final int intraOpThreads;
    private final long intraOpMinChunk;

    private Placement(List<List<Device>> devices, int intraOpThreads, long intraOpMinChunk) {
        this.devices = devices.stream().map(List::copyOf).toList();
        this.intraOpThreads = intraOpThreads;
        this.intraOpMinChunk = intraOpMinChunk;
    }

    /** Every modality on the CPU, one replica each. */
    public static Placement allCpu(int modalities) {
        List<List<Device>> d = new ArrayList<>();
        for (int j = 0; j < modalities; j++) {
            d.add(List.of(Device.CPU));
        }
        return new Placement(d, 0, IntraOp.MIN_CHUNK_WORK);
    }

    /**
     * Reads {@code chorus.workers} for the model's modalities (the dataset's, or {@code joint} for the
     * concatenated VAE) and checks each device exists here.
     */
    public static Placement from(Config root, List<Modality> modalities) {
        return from(root, modalities, name -> true);
    }

    /**
     * Like {@link #from(Config, List)}, for a node of a cluster: the devices of modalities whose workers run
     * on another node ({@code here} false) are that node's to check; here they stand as the CPU, unused.
     */
    public static Placement from(Config root, List<Modality> modalities, java.util.function.Predicate<String> here) {
        String p = "chorus.workers";
        List<String> names = modalities.stream().map(Modality::name).toList();
        if (root.hasPath(p)) {
            for (String key : root.getConfig(p).root().keySet()) {
                if (!names.contains(key)) {
                    throw new SettingsException(p + "." + key + " (" + Settings.origin(root, p + "." + key)
                            + "): the model has no workers for '" + key + "'; it has workers for " + names);
                }
                checkSettings(root, p + "." + key);
            }
        }
        List<List<Device>> devices = new ArrayList<>();
        CudaDevices gpus = CudaDevices.ofBackend(); // reads a GPU only when a device names it
        for (String name : names) {
            devices.add(replicas(root, p + "." + name, here.test(name), gpus));
        }
        int threads = root.hasPath(INTRA_OP_THREADS) ? Settings.intIn(root, INTRA_OP_THREADS, 0, 1024) : 0;
        long minChunk = root.hasPath(INTRA_OP_MIN_CHUNK)
                ? Settings.intIn(root, INTRA_OP_MIN_CHUNK, 0, Integer.MAX_VALUE) : IntraOp.MIN_CHUNK_WORK;
        return new Placement(devices, threads, minChunk);
    }

    /** A modality's workers take {@code device}, {@code replicas} and {@code devices}; anything else would be silently ignored. */
    private static void checkSettings(Config root, String path) {
        if (root.getValue(path).valueType() != ConfigValueType.OBJECT) {
            throw Settings.invalid(root, path, root.getValue(path).render(),
                    "{ device = cpu | cuda:N, replicas = N, devices = [one per replica] }");
        }
        for (String setting : root.getConfig(path).root().keySet()) {
            if (!SETTINGS.contains(setting)) {
                throw new SettingsException("unknown key " + path + "." + setting + " (" + Settings.origin(root,
                        path + "." + setting) + "): a modality's workers have only " + String.join(", ", SETTINGS));
            }
        }
    }

    /**
     * The device of each replica of one modality's workers ({@code path} = chorus.workers.m): {@code replicas}
     * (default 1, at most the batch size) on {@code devices} (one per replica) or all on {@code device}. A
     * modality hosted by another node ({@code here} false) has its devices checked there; here they stand as the CPU.
     */
    private static List<Device> replicas(Config root, String path, boolean here, CudaDevices gpus) {
        int n = 1;
        String replicas = path + ".replicas";
        if (root.hasPath(replicas)) {
            n = Settings.intIn(root, replicas, 1, Integer.MAX_VALUE);
            String batch = "chorus.data.batch-size";
            if (root.hasPath(batch) && n > root.getInt(batch)) {
                throw new SettingsException(replicas + " = " + n + " (" + Settings.origin(root, replicas) + "): expected at"
                        + " most " + batch + " = " + root.getInt(batch) + " (each replica takes a share of every batch's rows)");
            }
        }
        String list = path + ".devices";
        if (root.hasPath(list)) {
            if (root.hasPath(path + ".device")) {
                throw new SettingsException(list + " (" + Settings.origin(root, list) + "): give either device (every"
                        + " replica there) or devices (one per replica), not both");
            }
            List<String> listed = Settings.stringList(root, list);
            if (listed.size() != n) {
                throw new SettingsException(list + " = " + listed + " (" + Settings.origin(root, list) + "): expected one"
                        + " device per replica, " + n + " (" + replicas + "), found " + listed.size());
            }
            List<Device> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(here ? parse(root, list, list + "[" + i + "]", listed.get(i), gpus) : Device.CPU);
            }
            return out;
        }
        String key = path + ".device";
        Device d = root.hasPath(key) && here ? parse(root, key, key, Settings.string(root, key), gpus) : Device.CPU;
        return Collections.nCopies(n, d);
    }

    /**
     * {@code raw}, the value at {@code key} (named {@code what} in messages: the key or a list element), as a device
     * here: the CPU, or a GPU that exists and that this CUDA build has kernels for.
     */
    private static Device parse(Config root, String key, String what, String raw, CudaDevices gpus) {
        String value = raw.trim();
        if (value.equals("cpu")) {
            return Device.CPU;
        }
        Matcher m = CUDA.matcher(value);
        if (!m.matches()) {
            throw Settings.invalid(root, key, "'" + value + "'", "cpu or cuda:N (N = GPU index)"
                    + (what.equals(key) ? "" : " in " + what));
        }
        int index = Integer.parseInt(m.group(1));
        String setting = what + " = " + value + " (" + Settings.origin(root, key) + ")";
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (!backend.toLowerCase().contains("cublas") && !backend.toLowerCase().contains("cuda")) {
            throw new SettingsException(setting + ": this build runs the CPU backend (" + backend + "); build with the"
                    + " CUDA backend (CHORUS_PROFILE=cuda ./chorus ...) or set the device to cpu");
        }
        int count = Nd4j.getAffinityManager().getNumberOfDevices();
        if (index >= count) {
            throw new SettingsException(setting + ": this machine has " + count + " GPU(s), cuda:0 to cuda:" + (count - 1));
        }
        gpus.refusal(setting, index).ifPresent(line -> {
            throw new SettingsException(line);
        });
        return new Device(value, index);
    }

    /** The device of modality {@code j}'s encoder and decoder (of its first replica). */
    public Device device(int modality) {
        return devices.get(modality).get(0);
    }

    /** The device of each replica of modality {@code j}'s encoder and decoder (one element: not replicated). */
    public List<Device> replicas(int modality) {
        return devices.get(modality);
    }

    /**
     * Threads each layer of a CPU worker's networks is split over ({@code chorus.intra-op-threads}; 0 chose
     * automatically: one per core). The threads are Java threads (see {@link IntraOp}); every libnd4j call stays
     * on one OpenMP thread, as the launcher starts it.
     */
    public int intraOpThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }

    /** A new pool of {@link #intraOpThreads} threads splitting layers down to {@code chorus.intra-op-min-chunk}. */
    public IntraOp intraOp() {
        return IntraOp.of(intraOpThreads(), intraOpMinChunk);
    }

    /**
     * Gives every network that runs on the CPU here {@code pool} (copies made from them later, such as a
     * worker's per-step replicas, share it). GPU-placed modalities keep theirs: their ops run on the device.
     */
    public void shareIntraOp(MultimodalVae model, IntraOp pool) {
        for (int j = 0; j < model.modalities().size(); j++) {
            if (devices.get(j).stream().allMatch(Device::isCpu)) {
                model.encoders().get(j).intraOp(pool);
                model.decoders().get(j).intraOp(pool);
            }
        }
    }

    /**
     * Akka settings for one dispatcher per device in use: the CPU pool has a thread per core (up to the
     * workers placed there), a GPU pool a thread per worker on it.
     */
    public Config dispatchers() {
        Map<String, Integer> workers = new LinkedHashMap<>(); // by dispatcher id
        Map<String, Boolean> gpu = new LinkedHashMap<>();
        workers.put(Device.CPU.dispatcher(), 1); // the CPU pool always exists: unplaced actors may use it
        gpu.put(Device.CPU.dispatcher(), false);
        for (List<Device> replicas : devices) {
            for (Device d : replicas) {
                workers.merge(d.dispatcher(), 2, Integer::sum); // an encoder and a decoder per replica of a modality
                gpu.put(d.dispatcher(), d.cudaIndex() >= 0);
            }
        }
        StringBuilder conf = new StringBuilder();
        int cores = Runtime.getRuntime().availableProcessors();
        for (var e : workers.entrySet()) {
            int threads = gpu.get(e.getKey()) ? e.getValue() : Math.max(1, Math.min(cores, e.getValue()));
            conf.append(e.getKey()).append(" { type = Dispatcher, executor = thread-pool-executor,")
                    .append(" thread-pool-executor.fixed-pool-size = ").append(threads).append(", throughput = 1 }\n");
        }
        return ConfigFactory.parseString(conf.toString());
    }
}
