package chorus.actors.coordinator.step;

/**
 * Marks a protocol whose messages never leave the coordinator's JVM (they hold batches, reports, live
 * objects): only worker messages cross nodes, through {@code chorus.actors.wire.ChorusSerializer}. Akka's
 * {@code serialize-messages} check (on in tests) skips these, and checks every other message.
 */
public interface CoordinatorLocal extends akka.actor.NoSerializationVerificationNeeded {
}
