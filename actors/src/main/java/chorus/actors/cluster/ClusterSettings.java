package chorus.actors.cluster;

import chorus.data.Modality;
import chorus.data.config.Settings;
import chorus.data.config.SettingsException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the actors run, read once from {@code chorus.cluster} (see conf/reference.conf for each key). One
 * file describes the whole cluster: {@code nodes} maps each worker node's role to the modalities whose
 * encoder and decoder it hosts; the coordinator runs everything else. Every node reads the same file and
 * differs only in {@code role} (and usually hostname and port).
 *
 * @param enabled        false: every actor in this JVM, no remoting
 * @param role           {@link #COORDINATOR} or a key of {@code nodes}
 * @param hostname       the address this node binds and is reached at
 * @param port           0 = any free port
 * @param seedNodes      {@code host:port} of the nodes to join; empty = this node starts a new cluster
 * @param transport      Artery's transport
 * @param maxMessageSize the largest message between nodes, in bytes
 * @param joinTimeout    how long a node waits to join, and the coordinator for every remote worker
 * @param rejoinTimeout  how long a coordinator that lost a worker node mid-run waits for a node of that role to
 *                       join before it stops; zero: it stops at once
 * @param nodes          worker node role → the modalities it hosts
 * @param shared         the config every node must agree on (a worker node refuses a coordinator with another)
 */
public record ClusterSettings(boolean enabled, String role, String hostname, int port, List<String> seedNodes,
                              Transport transport, long maxMessageSize, Duration joinTimeout, Duration rejoinTimeout,
                              Map<String, List<String>> nodes, SharedConfig shared) {

    /** The role of the node that runs the trainer, combiner, loader, evaluator and the unhosted modalities. */
    public static final String COORDINATOR = "coordinator";

    /** The actor system's name, the same on every node (it is part of every node's address). */
    public static final String SYSTEM_NAME = "chorus";

    /** Everything in this JVM. */
    public static final ClusterSettings LOCAL = new ClusterSettings(false, COORDINATOR, "127.0.0.1", 0, List.of(),
            Transport.TCP, 64L << 20, Duration.ofSeconds(60), Duration.ZERO, Map.of(), SharedConfig.NONE);

    private static final Pattern HOST_PORT = Pattern.compile("([^:\\s]+):(\\d{1,5})");
    private static final String P = "chorus.cluster";

    /** Artery's transports: TCP (the default; fastest on few cores) or Aeron over UDP. */
    public enum Transport {
        TCP("tcp"), AERON_UDP("aeron-udp");

        private final String akkaName;

        Transport(String akkaName) {
            this.akkaName = akkaName;
        }

        /** The value of {@code akka.remote.artery.transport}. */
        public String akkaName() {
            return akkaName;
        }
    }

    public ClusterSettings {
        if (rejoinTimeout.isNegative()) {
            throw new IllegalArgumentException("rejoin timeout " + rejoinTimeout + ", expected zero or more");
        }
        seedNodes = List.copyOf(seedNodes);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        nodes.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        nodes = java.util.Collections.unmodifiableMap(copy);
    }

    /** Reads and checks {@code chorus.cluster} against the model's worker modalities (the dataset's, or joint for concat); errors name the key. */
    public static ClusterSettings from(Config root, List<Modality> modalities) {
        Map<String, List<String>> nodes = nodes(root, modalities.stream().map(Modality::name).toList());
        String role = Settings.string(root, P + ".role").trim();
        if (!role.equals(COORDINATOR) && !nodes.containsKey(role)) {
            throw Settings.invalid(root, P + ".role", "'" + role + "'", COORDINATOR + " or a worker node of " + P
                    + ".nodes " + nodes.keySet());
        }
        List<String> seeds = Settings.stringList(root, P + ".seed-nodes");
        for (String seed : seeds) {
            if (parseHostPort(seed) == null) {
                throw Settings.invalid(root, P + ".seed-nodes", "'" + seed + "'", "host:port entries, e.g. [\"10.0.0.1:25520\"]");
            }
        }
        String hostname = Settings.string(root, P + ".hostname").trim();
        if (hostname.isEmpty()) {
            throw Settings.invalid(root, P + ".hostname", "\"\"", "a host name or IP address other nodes reach this one at");
        }
        return new ClusterSettings(Settings.bool(root, P + ".enabled"), role, hostname,
                Settings.intIn(root, P + ".port", 0, 65535), seeds,
                Settings.enumValue(root, P + ".transport", Transport.class),
                Settings.bytesIn(root, P + ".max-message-size", 256L << 10, 1L << 30),
                Settings.positiveDuration(root, P + ".join-timeout"), rejoinTimeout(root), nodes, SharedConfig.of(root));
    }

    /** {@code rejoin-timeout}: a duration, zero allowed (stop at once when a worker node is lost). */
    private static Duration rejoinTimeout(Config root) {
        String key = P + ".rejoin-timeout";
        String expected = "a duration such as 60s, or 0 to stop the run at once when a worker node is lost";
        Duration d;
        try {
            d = root.getDuration(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw Settings.invalid(root, key, root.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise()),
                    expected);
        }
        if (d.isNegative()) {
            throw Settings.invalid(root, key, root.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise()),
                    expected);
        }
        return d;
    }

    /** The open map {@code nodes}: role → non-empty list of the dataset's modalities, each hosted once. */
    private static Map<String, List<String>> nodes(Config root, List<String> names) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, String> hostOf = new LinkedHashMap<>();
        for (String role : root.getConfig(P + ".nodes").root().keySet()) {
            String key = P + ".nodes." + role;
            if (role.equals(COORDINATOR) || root.getValue(key).valueType() != ConfigValueType.LIST) {
                throw Settings.invalid(root, key, root.getValue(key).render(), "a worker node role (not '" + COORDINATOR
                        + "') = the list of modalities it hosts, e.g. [image]");
            }
            List<String> hosted = Settings.stringList(root, key);
            if (hosted.isEmpty()) {
                throw Settings.invalid(root, key, "[]", "at least one modality of " + names);
            }
            for (String m : hosted) {
                if (!names.contains(m)) {
                    throw Settings.invalid(root, key, hosted.toString(), "modalities of the dataset " + names + "; it has no '"
                            + m + "'");
                }
                String other = hostOf.putIfAbsent(m, role);
                if (other != null) {
                    throw Settings.invalid(root, key, hosted.toString(), "each modality on one node; '" + m
                            + "' is hosted by " + P + ".nodes." + other + " too");
                }
            }
            out.put(role, hosted);
        }
        return out;
    }

    /** {@code [host, port]} of a {@code host:port} string, or null if it is not one. */
    static String[] parseHostPort(String s) {
        Matcher m = HOST_PORT.matcher(s.trim());
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            return null;
        }
        return new String[] {m.group(1), m.group(2)};
    }

    /** The modalities whose workers run on worker nodes (none when the cluster is off). */
    public Set<String> remoteModalities() {
        Set<String> out = new LinkedHashSet<>();
        if (enabled) {
            nodes.values().forEach(out::addAll);
        }
        return out;
    }

    /**
     * Whether this node runs the workers of a modality: on the coordinator (or without a cluster) every modality
     * no worker node hosts, on a worker node the ones it hosts. Placement checks devices only for these.
     */
    public java.util.function.Predicate<String> runsHere() {
        if (enabled && !role.equals(COORDINATOR)) {
            List<String> hosted = hostedHere();
            return hosted::contains;
        }
        Set<String> remote = remoteModalities();
        return m -> !remote.contains(m);
    }

    /** The modalities this node hosts as a worker node. */
    public List<String> hostedHere() {
        List<String> hosted = nodes.get(role);
        if (hosted == null) {
            throw new SettingsException(P + ".role = " + role + ": not a worker node; worker nodes are the keys of " + P
                    + ".nodes " + nodes.keySet());
        }
        return hosted;
    }

    /** The seed nodes as Akka addresses of actor system {@code system}. */
    public List<String> seedAddresses(String system) {
        List<String> out = new ArrayList<>();
        for (String seed : seedNodes) {
            String[] hp = parseHostPort(seed);
            out.add("akka://" + system + "@" + hp[0] + ":" + hp[1]);
        }
        return out;
    }

    /** A copy with another role (the worker nodes of a test read the coordinator's settings). */
    public ClusterSettings withRole(String r) {
        return new ClusterSettings(enabled, r, hostname, port, seedNodes, transport, maxMessageSize, joinTimeout,
                rejoinTimeout, nodes, shared);
    }

    /** A copy with another shared config (a test's worker node started with another model or optimiser). */
    public ClusterSettings withShared(SharedConfig c) {
        return new ClusterSettings(enabled, role, hostname, port, seedNodes, transport, maxMessageSize, joinTimeout,
                rejoinTimeout, nodes, c);
    }

    /** A copy with another rejoin timeout (tests wait seconds, not a minute). */
    public ClusterSettings withRejoinTimeout(Duration d) {
        return new ClusterSettings(enabled, role, hostname, port, seedNodes, transport, maxMessageSize, joinTimeout, d,
                nodes, shared);
    }

    /** Whether a lost worker node is waited for (a cluster with worker nodes and a rejoin timeout above zero). */
    public boolean elastic() {
        return enabled && !nodes.isEmpty() && !rejoinTimeout.isZero();
    }

    /** A worker node by role and the modalities it hosts: {@code worker node 'gpu' (hosting [image])}. */
    public String describeNode(String r) {
        return "worker node '" + r + "' (hosting " + nodes.get(r) + ")";
    }
}
