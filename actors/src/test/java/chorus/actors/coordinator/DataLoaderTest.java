package chorus.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import chorus.actors.ActorFixtures;
import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loader answers in step order with each batch's cursor, reading {@code prefetch} batches ahead. */
class DataLoaderTest {

    private static final Dataset DATA = ModelFixtures.dataset("train", 12, 5); // 4 batches of 3 per epoch

    private static ActorTestKit testKit;

    private final TestProbe<DataLoader.Loaded> probe = testKit.createTestProbe();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void batchesArriveInStepOrderEachWithTheCursorJustAfterIt() {
        ActorRef<DataLoader.Command> loader = testKit.spawn(DataLoader.create(iterator(), 2));
        BatchIterator expected = iterator();
        for (int i = 0; i < 6; i++) { // into the second epoch
            loader.tell(new DataLoader.Next(probe.ref()));
        }
        for (int i = 0; i < 6; i++) {
            DataLoader.Loaded got = probe.receiveMessage();
            Batch want = expected.next();
            assertEquals(i, got.batch().step());
            assertArrayEquals(want.rows(), got.batch().rows());
            assertEquals(expected.cursor(), got.after());
        }
    }

    @Test
    void loaderReadsPrefetchBatchesBeyondWhatWasAskedFor() {
        BatchIterator batches = iterator();
        ActorRef<DataLoader.Command> loader = testKit.spawn(DataLoader.create(batches, 2));
        loader.tell(new DataLoader.Next(probe.ref()));
        assertEquals(new BatchIterator.Cursor(0, 3), probe.receiveMessage().after());
        probe.awaitAssert(() -> {
            assertEquals(3, batches.step()); // batch 0 served, batches 1 and 2 ready
            return null;
        });
    }

    @Test
    void loaderReadsNoFurtherThanPrefetchAhead() {
        BatchIterator batches = iterator();
        testKit.spawn(DataLoader.create(batches, 2));
        probe.awaitAssert(() -> {
            assertEquals(2, batches.step());
            return null;
        });
        probe.expectNoMessage(ActorFixtures.QUIET);
        assertEquals(2, batches.step());
    }

    @Test
    void afterARewindTheNextBatchIsTheOneAtTheCursor() {
        ActorRef<DataLoader.Command> loader = testKit.spawn(DataLoader.create(iterator(), 2));
        loader.tell(new DataLoader.Next(probe.ref()));
        DataLoader.Loaded first = probe.receiveMessage();
        for (int i = 0; i < 3; i++) {
            loader.tell(new DataLoader.Next(probe.ref()));
            probe.receiveMessage();
        }
        TestProbe<DataLoader.Rewound> rewound = testKit.createTestProbe();
        loader.tell(new DataLoader.Rewind(first.after(), rewound.ref()));
        rewound.expectMessage(DataLoader.Rewound.INSTANCE);
        loader.tell(new DataLoader.Next(probe.ref()));
        BatchIterator expected = iterator();
        expected.next();
        Batch want = expected.next();
        Batch got = probe.receiveMessage().batch();
        assertEquals(1, got.step());
        assertArrayEquals(want.rows(), got.rows());
    }

    private static BatchIterator iterator() {
        return BatchIterator.training(DATA, 3, 7);
    }
}
