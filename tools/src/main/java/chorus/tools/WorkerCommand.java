package chorus.tools;

import chorus.actors.cluster.ClusterSettings;
import chorus.actors.cluster.WorkerNode;
import chorus.actors.workers.Placement;
import chorus.data.Modality;
import chorus.data.config.ChorusConfig;
import chorus.data.config.SettingsException;
import chorus.tools.console.ShutdownHooks;
import chorus.tools.run.RunSetup;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus worker}: a worker node of a cluster run. It hosts the encoder and decoder of the modalities
 * {@code chorus.cluster.nodes.<role>} lists, built from the same config (and so the same seed) as the
 * coordinator's, joins the seed nodes and serves until the coordinator leaves. Needs no data files. A coordinator
 * whose model, objective or optimiser config differs is refused (a user error naming the differing keys).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Host some modalities' workers for a cluster run (chorus.cluster.nodes.<role>); serves until the"
                + " coordinator (chorus train) leaves.")
final class WorkerCommand extends CommonOptions.Holder implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("chorus.worker");

    @Parameters(paramLabel = "CONFIG", description = "The cluster's experiment file, the same as the coordinator's.")
    Path config;

    @Override
    public Integer call() {
        Config c = ChorusConfig.load(config, common.overrides());
        var model = RunSetup.withoutData(c).model(DataType.FLOAT);
        List<Modality> workers = model.modalities(); // the workers' modalities: 'joint' for concat
        ClusterSettings cluster = ClusterSettings.from(c, workers);
        if (!cluster.enabled()) {
            throw new SettingsException("chorus.cluster.enabled = false: a worker node joins a cluster; set it to true in "
                    + config + " (see conf/cluster-example.conf)");
        }
        if (cluster.role().equals(ClusterSettings.COORDINATOR)) {
            throw new SettingsException("chorus.cluster.role = coordinator: that node runs `chorus train`; give this one the"
                    + " role of a worker node, e.g. -Dchorus.cluster.role=" + cluster.nodes().keySet().stream().findFirst()
                    .orElse("<a key of chorus.cluster.nodes>"));
        }
        List<String> hosted = cluster.hostedHere();
        Placement placement = Placement.from(c, workers, cluster.runsHere());
        try (WorkerNode node = WorkerNode.start(ClusterSettings.SYSTEM_NAME, model, cluster, placement, ConfigFactory.empty())) {
            LOG.info("worker node {} at {} hosts the encoder and decoder of {}; joining {} (timeout {} s)", cluster.role(),
                    node.address(), hosted, cluster.seedNodes().isEmpty() ? "no seed node: starting a new cluster"
                    : cluster.seedNodes(), cluster.joinTimeout().toSeconds());
            node.joined().thenAccept(a -> LOG.info("joined the cluster as {}; serving {} until the coordinator leaves",
                    a, hosted));
            Thread onCtrlC = ShutdownHooks.add("chorus-worker-stop", node::close);
            node.terminated().toCompletableFuture().join();
            ShutdownHooks.remove(onCtrlC);
            if (!node.joined().toCompletableFuture().isDone()) {
                System.err.println("chorus: worker node " + cluster.role() + " could not join " + cluster.seedNodes()
                        + " within " + cluster.joinTimeout().toSeconds() + " s (chorus.cluster.join-timeout): is the"
                        + " coordinator running, and do chorus.cluster.seed-nodes name its hostname and port exactly?");
                return UserErrors.USER_ERROR;
            }
            String refusal = node.refused().toCompletableFuture().getNow(null);
            if (refusal != null) {
                System.err.println("chorus: " + refusal);
                return UserErrors.USER_ERROR;
            }
            LOG.info("worker node {} stopped", cluster.role());
            return 0;
        }
    }
}
