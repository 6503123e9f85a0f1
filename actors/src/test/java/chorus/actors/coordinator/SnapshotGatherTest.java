package chorus.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.actors.workers.WorkerState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The snapshot child: every worker's state in a fixed order, or the names of the workers that stayed silent. */
class SnapshotGatherTest {

    private static ActorTestKit testKit;

    private final List<TestProbe<EncoderWorker.Command>> enc = List.of(testKit.createTestProbe(), testKit.createTestProbe());
    private final List<TestProbe<DecoderWorker.Command>> dec = List.of(testKit.createTestProbe(), testKit.createTestProbe());
    private final TestProbe<SnapshotGather.Gathered> gathered = testKit.createTestProbe();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void repliesWithEveryStateEncodersFirstInModalityOrder() {
        gather(Duration.ofSeconds(5));
        answer(dec.get(1), WorkerId.decoder(1));
        answer(enc.get(1), WorkerId.encoder(1));
        answer(dec.get(0), WorkerId.decoder(0));
        answer(enc.get(0), WorkerId.encoder(0));
        SnapshotGather.Gathered g = gathered.receiveMessage();
        assertNull(g.error());
        assertEquals(List.of(WorkerId.encoder(0), WorkerId.encoder(1), WorkerId.decoder(0), WorkerId.decoder(1)),
                g.states().stream().map(WorkerState::worker).toList());
    }

    @Test
    void silentWorkerIsNamedAfterTheTimeout() {
        gather(Duration.ofMillis(300));
        answer(enc.get(0), WorkerId.encoder(0));
        answer(enc.get(1), WorkerId.encoder(1));
        answer(dec.get(0), WorkerId.decoder(0));
        SnapshotGather.Gathered g = gathered.receiveMessage();
        assertNull(g.states());
        assertTrue(g.error().contains("[decoder[1]]"), g.error());
    }

    private void gather(Duration timeout) {
        testKit.spawn(SnapshotGather.create(enc.stream().map(TestProbe::ref).toList(), dec.stream().map(TestProbe::ref).toList(),
                timeout, gathered.ref()));
    }

    private static void answer(TestProbe<?> worker, WorkerId id) {
        WorkerProtocol.Snapshot s = (WorkerProtocol.Snapshot) worker.receiveMessage();
        s.replyTo().tell(new WorkerState(id, Nd4j.zeros(1, 2), Nd4j.zeros(1, 2)));
    }
}
