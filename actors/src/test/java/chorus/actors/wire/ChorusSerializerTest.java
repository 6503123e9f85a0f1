package chorus.actors.wire;

import static chorus.actors.wire.ArrayCodecTest.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.actors.workers.WorkerState;
import chorus.models.objective.DecodeRequest;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every message that crosses a worker boundary goes through Akka's serialization to an equal message. */
class ChorusSerializerTest {

    private static ActorTestKit testKit;
    private static Serialization serialization;
    private static ActorRef<WorkerProtocol.Reply> replies;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        replies = testKit.<WorkerProtocol.Reply>createTestProbe().ref();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T message) {
        Serializer s = serialization.findSerializerFor(message);
        assertInstanceOf(ChorusSerializer.class, s, message.getClass().getName());
        byte[] bytes = s.toBinary(message);
        return (T) serialization.deserialize(bytes, s.identifier(), Serializers.manifestFor(s, message)).get();
    }

    private static INDArray matrix(DataType dtype, int rows, int cols, double seed) {
        return Nd4j.linspace(dtype, seed, seed + 0.37 * (rows * cols - 1), rows * cols).reshape(rows, cols);
    }

    @Test
    void encoderRequestsRoundTrip() {
        var encode = new EncoderWorker.Encode(7, 2, matrix(DataType.FLOAT, 3, 4, 0.1), Nd4j.createFromArray(1f, 0f, 1f),
                replies);
        var back = roundTrip(encode);
        assertEquals(List.of(7L, 2, replies), List.of(back.step(), back.attempt(), back.replyTo()));
        assertSameBits(encode.x(), back.x());
        assertSameBits(encode.presence(), back.presence());
        var grad = new GaussianGrad(matrix(DataType.DOUBLE, 3, 2, 1), matrix(DataType.DOUBLE, 3, 2, -1));
        var backprop = roundTrip(new EncoderWorker.Backprop(7, 2, grad, replies));
        assertSameBits(grad.dMu(), backprop.grad().dMu());
        assertSameBits(grad.dLogvar(), backprop.grad().dLogvar());
        assertEquals(replies, backprop.replyTo());
    }

    @Test
    void decoderRequestsRoundTripWithAndWithoutCoefficients() {
        INDArray z = matrix(DataType.DOUBLE, 4, 2, 0.5);
        for (INDArray coefficients : new INDArray[] {null, Nd4j.createFromArray(0.25, -1.0, 2.0, 0.0)}) {
            var decode = new DecoderWorker.Decode(3, 0, new DecodeRequest(1, z, new int[] {0, 2, 2, 1}, coefficients),
                    matrix(DataType.DOUBLE, 3, 5, 0), replies);
            var back = roundTrip(decode);
            assertEquals(1, back.request().modality());
            assertEquals(List.of(0, 2, 2, 1), java.util.Arrays.stream(back.request().dataRows()).boxed().toList());
            assertSameBits(z, back.request().z());
            assertSameBits(decode.x(), back.x());
            if (coefficients == null) {
                assertNull(back.request().coefficients());
            } else {
                assertSameBits(coefficients, back.request().coefficients());
            }
        }
        INDArray c = Nd4j.createFromArray(0.5, 1.5);
        assertSameBits(c, roundTrip(new DecoderWorker.Backprop(3, 1, c, replies)).coefficients());
    }

    @Test
    void sharedWorkerMessagesRoundTrip() {
        ActorRef<WorkerState> states = testKit.<WorkerState>createTestProbe().ref();
        ActorRef<WorkerProtocol.Loaded> loaded = testKit.<WorkerProtocol.Loaded>createTestProbe().ref();
        assertEquals(new WorkerProtocol.Commit(9, 8, replies), roundTrip(new WorkerProtocol.Commit(9, 8, replies)));
        assertEquals(new WorkerProtocol.Abort(-1), roundTrip(new WorkerProtocol.Abort(-1)));
        assertEquals(new WorkerProtocol.Snapshot(states), roundTrip(new WorkerProtocol.Snapshot(states)));
        var load = new WorkerProtocol.Load(matrix(DataType.FLOAT, 1, 6, 2), matrix(DataType.FLOAT, 1, 12, 3), loaded);
        var back = roundTrip(load);
        assertSameBits(load.params(), back.params());
        assertSameBits(load.updaterState(), back.updaterState());
        assertEquals(loaded, back.replyTo());
    }

    @Test
    void summedGradientAndAReplicasIdRoundTrip() {
        INDArray sum = matrix(DataType.DOUBLE, 1, 5, 0.7);
        var back = roundTrip(new WorkerProtocol.SummedGradient(3, sum));
        assertEquals(3, back.step());
        assertSameBits(sum, back.grad());
        assertNull(roundTrip(new WorkerProtocol.SummedGradient(3, null)).grad());
        WorkerId replica = WorkerId.decoder(1).replica(2);
        assertEquals(replica, roundTrip(new WorkerProtocol.Applied(1, replica, 0, 5)).worker());
    }

    @Test
    void workerRepliesRoundTrip() {
        Gaussian expert = new Gaussian(matrix(DataType.DOUBLE, 2, 3, 0.1), matrix(DataType.DOUBLE, 2, 3, -0.3));
        var e = roundTrip(new WorkerProtocol.Expert(4, 1, 2, expert));
        assertEquals(List.of(4L, 1, 2), List.of(e.step(), e.attempt(), e.modality()));
        assertSameBits(expert.mu(), e.expert().mu());
        assertSameBits(expert.logvar(), e.expert().logvar());
        WorkerId dec = WorkerId.decoder(2);
        assertEquals(new WorkerProtocol.Applied(4, dec, 3, 123_456_789L), roundTrip(new WorkerProtocol.Applied(4, dec, 3, 123_456_789L)));
        String why = "decoder of modality 'image': ünïcode ✓ " + "x".repeat(70_000); // beyond writeUTF's 64 KiB
        assertEquals(new WorkerProtocol.Failed(4, 1, dec, why, false), roundTrip(new WorkerProtocol.Failed(4, 1, dec, why, false)));
        assertEquals(new WorkerProtocol.Loaded(WorkerId.encoder(0), null), roundTrip(new WorkerProtocol.Loaded(WorkerId.encoder(0), null)));
    }

    @Test
    void gradientRepliesKeepTheirArraysAndTheirNulls() {
        INDArray grad = matrix(DataType.FLOAT, 1, 7, 0.2);
        var computed = roundTrip(new WorkerProtocol.Computed(5, 0, WorkerId.encoder(1), grad));
        assertEquals(WorkerId.encoder(1), computed.worker());
        assertSameBits(grad, computed.grad());
        assertNull(roundTrip(new WorkerProtocol.Computed(5, 0, WorkerId.encoder(1), null)).grad());
        var firstPhase = roundTrip(new WorkerProtocol.LogLikelihoods(5, 0, 1, Nd4j.createFromArray(-1.0, -2.0)));
        assertSameBits(Nd4j.createFromArray(-1.0, -2.0), firstPhase.logProb());
        var secondPhase = roundTrip(new WorkerProtocol.Backpropagated(5, 0, 1, matrix(DataType.DOUBLE, 2, 3, 1), grad));
        assertSameBits(grad, secondPhase.grad());
        assertNull(roundTrip(new WorkerProtocol.Decoded(5, 0, 1, Nd4j.createFromArray(-1.0, -2.0),
                matrix(DataType.DOUBLE, 2, 3, 1), null)).grad());
    }

    @Test
    void workerStateRoundTrips() {
        var state = new WorkerState(WorkerId.decoder(0), matrix(DataType.DOUBLE, 1, 5, 0.3), matrix(DataType.DOUBLE, 1, 10, 1));
        var back = roundTrip(state);
        assertEquals(state.worker(), back.worker());
        assertSameBits(state.params(), back.params());
        assertSameBits(state.updaterState(), back.updaterState());
    }

    @Test
    void everyMessageAWorkerTakesOrSendsHasThisSerializerAndACodec() throws Exception {
        List<Class<?>> types = new ArrayList<>(List.of(WorkerState.class, WorkerProtocol.Loaded.class));
        for (Class<?> sealed : new Class<?>[] {EncoderWorker.Command.class, DecoderWorker.Command.class, WorkerProtocol.Reply.class}) {
            types.addAll(List.of(sealed.getPermittedSubclasses()));
        }
        for (Class<?> type : types) {
            assertInstanceOf(ChorusSerializer.class, serialization.serializerFor(type), type.getName());
            assertTrue(MessageCodecs.ALL.stream().anyMatch(c -> c.type() == type), "no codec for " + type.getName());
        }
        assertEquals(MessageCodecs.ALL.size(), MessageCodecs.ALL.stream().map(MessageCodecs.Codec::manifest).distinct().count());
    }

    @Test
    void anotherWireFormatVersionIsRefusedSayingSo() throws Exception {
        Serializer s = serialization.serializerFor(WorkerProtocol.Abort.class);
        byte[] bytes = s.toBinary(new WorkerProtocol.Abort(1));
        bytes[0] = 9;
        var e = assertThrows(NotSerializableException.class, () -> ((ChorusSerializer) s).fromBinary(bytes, "Abort"));
        assertTrue(e.getMessage().contains("format 9"), e.getMessage());
    }

    @Test
    void anUnknownManifestOrTrailingBytesAreRefused() throws Exception {
        ChorusSerializer s = (ChorusSerializer) serialization.serializerFor(WorkerProtocol.Abort.class);
        byte[] abort = s.toBinary(new WorkerProtocol.Abort(1));
        var unknown = assertThrows(NotSerializableException.class, () -> s.fromBinary(abort, "Teleport"));
        assertTrue(unknown.getMessage().contains("'Teleport'"), unknown.getMessage());
        byte[] longer = java.util.Arrays.copyOf(abort, abort.length + 3);
        var trailing = assertThrows(NotSerializableException.class, () -> s.fromBinary(longer, "Abort"));
        assertTrue(trailing.getMessage().contains("3 bytes left"), trailing.getMessage());
    }
}
