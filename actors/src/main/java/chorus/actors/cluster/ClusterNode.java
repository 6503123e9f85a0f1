package chorus.actors.cluster;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.Placement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * What the coordinator and the worker nodes share about Akka Cluster: the Akka settings of a node, how it
 * joins, the Receptionist keys its workers are registered under, and a description of where it stands
 * (for error messages).
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    /** The key encoder workers of {@code modality} are registered under. */
    public static ServiceKey<EncoderWorker.Command> encoderKey(String modality) {
        return ServiceKey.create(EncoderWorker.Command.class, "chorus-encoder-" + modality);
    }

    /** The key decoder workers of {@code modality} are registered under. */
    public static ServiceKey<DecoderWorker.Command> decoderKey(String modality) {
        return ServiceKey.create(DecoderWorker.Command.class, "chorus-decoder-" + modality);
    }

    /**
     * Akka settings for a node of {@code s}: Artery on the configured transport, address and frame size, the
     * node's role, and a split-brain resolver that keeps the coordinator's side: a node that stops answering
     * is downed after {@code akka.cluster.split-brain-resolver.stable-after}, so the coordinator sees its
     * workers terminate instead of waiting for them forever, and a worker node cut off from the coordinator
     * shuts down. Without the cluster: the local provider.
     */
    public static Config akka(ClusterSettings s) {
        if (!s.enabled()) {
            return ConfigFactory.parseString("akka.actor.provider = local");
        }
        Config c = ConfigFactory.parseString(String.join("\n",
                "akka.actor.provider = cluster",
                "akka.remote.artery.transport = " + s.transport().akkaName(),
                "akka.remote.artery.canonical.port = " + s.port(),
                "akka.remote.artery.advanced.maximum-frame-size = " + s.maxMessageSize(),
                "akka.cluster.downing-provider-class = \"akka.cluster.sbr.SplitBrainResolverProvider\"",
                "akka.cluster.split-brain-resolver.active-strategy = keep-oldest",
                "akka.cluster.split-brain-resolver.keep-oldest.down-if-alone = off",
                "akka.cluster.split-brain-resolver.keep-oldest.role = " + ClusterSettings.COORDINATOR,
                "akka.cluster.jmx.multi-mbeans-in-same-jvm = on",
                "akka.coordinated-shutdown.exit-jvm = off"));
        c = c.withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(s.hostname()))
                .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(List.of(s.role())));
        if (!s.role().equals(ClusterSettings.COORDINATOR)) { // a worker node that cannot join gives up
            c = c.withValue("akka.cluster.shutdown-after-unsuccessful-join-seed-nodes",
                    ConfigValueFactory.fromAnyRef(s.joinTimeout().toMillis() + "ms"));
        }
        return c;
    }

    /** Logging through SLF4J (Logback), for every actor system Chorus starts. */
    private static final Config LOGGING = ConfigFactory.parseString("akka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]\n"
            + "akka.logging-filter = \"akka.event.slf4j.Slf4jLoggingFilter\"\nakka.loglevel = INFO");

    /**
     * The whole configuration of a Chorus actor system (coordinator or worker node): {@code akka} over the
     * cluster settings of {@link #akka}, the placement's dispatchers, SLF4J logging and Akka's defaults.
     */
    public static Config systemConfig(Config akka, ClusterSettings s, Placement placement) {
        return akka.withFallback(akka(s)).withFallback(placement.dispatchers()).withFallback(LOGGING)
                .withFallback(ConfigFactory.defaultReference());
    }

    /** Joins the seed nodes, or starts a new cluster of this node alone when there are none. */
    public static void join(ActorSystem<?> system, ClusterSettings s) {
        Cluster cluster = Cluster.get(system);
        List<Address> seeds = s.seedAddresses(system.name()).stream().map(AddressFromURIString::parse).toList();
        if (seeds.isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        } else {
            cluster.manager().tell(new JoinSeedNodes(seeds));
        }
    }

    /** This node's address and the members it sees, or that it has not joined. */
    public static String describe(ActorSystem<?> system, ClusterSettings s) {
        Cluster cluster = Cluster.get(system);
        Iterable<Member> members = cluster.state().getMembers();
        List<String> seen = StreamSupport.stream(members.spliterator(), false)
                .map(m -> m.address() + " " + m.getRoles() + " " + m.status()).toList();
        String seeds = s.seedNodes().isEmpty() ? "none (this node started the cluster)"
                : String.join(", ", s.seedAddresses(system.name()));
        return "this node is " + cluster.selfMember().address() + "; seed nodes tried: " + seeds + "; members: "
                + (seen.isEmpty() ? "none (not joined)" : seen);
    }
}
