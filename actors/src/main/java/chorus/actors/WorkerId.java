package chorus.actors;

/** Which worker: the encoder or decoder of a modality (by index). */
public record WorkerId(Role role, int modality) {

    /** Encoder or decoder. */
    public enum Role { ENCODER, DECODER }

    public static WorkerId encoder(int modality) {
        return new WorkerId(Role.ENCODER, modality);
    }

    public static WorkerId decoder(int modality) {
        return new WorkerId(Role.DECODER, modality);
    }

    @Override
    public String toString() {
        return role.name().toLowerCase() + "[" + modality + "]";
    }
}
