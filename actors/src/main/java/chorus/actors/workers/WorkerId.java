package chorus.actors.workers;

/**
 * Which worker: the encoder or decoder of a modality (by index), and which of its replicas (0 when the
 * modality has one; replicas of a modality split each request's rows, see {@code ReplicaRouter}).
 */
public record WorkerId(Role role, int modality, int replica) {

    /** Encoder or decoder. */
    public enum Role { ENCODER, DECODER }

    public WorkerId {
        if (modality < 0 || replica < 0) {
            throw new IllegalArgumentException("worker id: modality " + modality + " and replica " + replica
                    + ", expected both >= 0");
        }
    }

    /** The encoder of {@code modality} (its only or first replica). */
    public static WorkerId encoder(int modality) {
        return new WorkerId(Role.ENCODER, modality, 0);
    }

    /** The decoder of {@code modality} (its only or first replica). */
    public static WorkerId decoder(int modality) {
        return new WorkerId(Role.DECODER, modality, 0);
    }

    /** Replica {@code r} of this worker. */
    public WorkerId replica(int r) {
        return new WorkerId(role, modality, r);
    }

    @Override
    public String toString() {
        return role.name().toLowerCase() + "[" + modality + "]" + (replica > 0 ? "#" + replica : "");
    }
}
