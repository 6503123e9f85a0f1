package chorus.actors.cluster;

/**
 * The cluster could not be assembled: a remote modality's workers never registered, or a worker node's
 * network does not match the coordinator's model. The message names the modalities, the nodes tried and
 * what to do; the CLI prints it as one line.
 */
public final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message) {
        super(message);
    }
}
