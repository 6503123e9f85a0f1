package chorus.actors.wire;

import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerProtocol;
import chorus.actors.workers.WorkerState;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One codec per message that crosses a worker boundary: the requests to encoder and decoder workers,
 * every {@link WorkerProtocol} message and reply, and {@link WorkerState}. A manifest names the type on
 * the wire; it must never change for a type (rename the class freely, not the manifest), and a new
 * message needs a new manifest here — the serializer tests fail for a worker message without one.
 */
final class MessageCodecs {

    /** Writes a message's fields. */
    @FunctionalInterface
    interface Writer<T> {
        void write(T msg, WireOut out) throws IOException;
    }

    /** Reads the fields back, in the order they were written, into a new message. */
    @FunctionalInterface
    interface Reader<T> {
        T read(WireIn in) throws IOException;
    }

    /** How one message type goes to bytes and back. */
    record Codec<T>(String manifest, Class<T> type, Writer<T> writer, Reader<T> reader) {

        void write(Object msg, WireOut out) throws IOException {
            writer.write(type.cast(msg), out);
        }
    }

    static final List<Codec<?>> ALL = List.of(
            codec("Encode", EncoderWorker.Encode.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.array(m.x());
                o.array(m.presence());
                o.ref(m.replyTo());
            }, i -> new EncoderWorker.Encode(i.int64(), i.int32(), i.array(), i.array(), i.ref())),
            codec("EncoderBackprop", EncoderWorker.Backprop.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.gaussianGrad(m.grad());
                o.ref(m.replyTo());
            }, i -> new EncoderWorker.Backprop(i.int64(), i.int32(), i.gaussianGrad(), i.ref())),
            codec("Decode", DecoderWorker.Decode.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.request(m.request());
                o.array(m.x());
                o.ref(m.replyTo());
            }, i -> new DecoderWorker.Decode(i.int64(), i.int32(), i.request(), i.array(), i.ref())),
            codec("DecoderBackprop", DecoderWorker.Backprop.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.array(m.coefficients());
                o.ref(m.replyTo());
            }, i -> new DecoderWorker.Backprop(i.int64(), i.int32(), i.array(), i.ref())),
            codec("Commit", WorkerProtocol.Commit.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.iteration());
                o.ref(m.replyTo());
            }, i -> new WorkerProtocol.Commit(i.int64(), i.int32(), i.ref())),
            codec("SummedGradient", WorkerProtocol.SummedGradient.class, (m, o) -> {
                o.int64(m.step());
                o.array(m.grad());
            }, i -> new WorkerProtocol.SummedGradient(i.int64(), i.array())),
            codec("Abort", WorkerProtocol.Abort.class, (m, o) -> o.int64(m.step()),
                    i -> new WorkerProtocol.Abort(i.int64())),
            codec("Snapshot", WorkerProtocol.Snapshot.class, (m, o) -> o.ref(m.replyTo()),
                    i -> new WorkerProtocol.Snapshot(i.ref())),
            codec("Load", WorkerProtocol.Load.class, (m, o) -> {
                o.array(m.params());
                o.array(m.updaterState());
                o.ref(m.replyTo());
            }, i -> new WorkerProtocol.Load(i.array(), i.array(), i.ref())),
            codec("Loaded", WorkerProtocol.Loaded.class, (m, o) -> {
                o.worker(m.worker());
                o.string(m.error());
            }, i -> new WorkerProtocol.Loaded(i.worker(), i.string())),
            codec("Expert", WorkerProtocol.Expert.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.int32(m.modality());
                o.gaussian(m.expert());
            }, i -> new WorkerProtocol.Expert(i.int64(), i.int32(), i.int32(), i.gaussian())),
            codec("LogLikelihoods", WorkerProtocol.LogLikelihoods.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.int32(m.modality());
                o.array(m.logProb());
            }, i -> new WorkerProtocol.LogLikelihoods(i.int64(), i.int32(), i.int32(), i.array())),
            codec("Decoded", WorkerProtocol.Decoded.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.int32(m.modality());
                o.array(m.logProb());
                o.array(m.dz());
                o.array(m.grad());
            }, i -> new WorkerProtocol.Decoded(i.int64(), i.int32(), i.int32(), i.array(), i.array(), i.array())),
            codec("Backpropagated", WorkerProtocol.Backpropagated.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.int32(m.modality());
                o.array(m.dz());
                o.array(m.grad());
            }, i -> new WorkerProtocol.Backpropagated(i.int64(), i.int32(), i.int32(), i.array(), i.array())),
            codec("Computed", WorkerProtocol.Computed.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.worker(m.worker());
                o.array(m.grad());
            }, i -> new WorkerProtocol.Computed(i.int64(), i.int32(), i.worker(), i.array())),
            codec("Applied", WorkerProtocol.Applied.class, (m, o) -> {
                o.int64(m.step());
                o.worker(m.worker());
                o.int64(m.staleness());
                o.int64(m.busyNanos());
            }, i -> new WorkerProtocol.Applied(i.int64(), i.worker(), i.int64(), i.int64())),
            codec("Failed", WorkerProtocol.Failed.class, (m, o) -> {
                o.int64(m.step());
                o.int32(m.attempt());
                o.worker(m.worker());
                o.string(m.message());
                o.bool(m.retryable());
            }, i -> new WorkerProtocol.Failed(i.int64(), i.int32(), i.worker(), i.string(), i.bool())),
            codec("WorkerState", WorkerState.class, (m, o) -> {
                o.worker(m.worker());
                o.array(m.params());
                o.array(m.updaterState());
            }, i -> new WorkerState(i.worker(), i.array(), i.array())));

    private static final Map<Class<?>, Codec<?>> BY_TYPE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Codec::type, Function.identity()));
    private static final Map<String, Codec<?>> BY_MANIFEST = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Codec::manifest, Function.identity()));

    private MessageCodecs() {
    }

    private static <T> Codec<T> codec(String manifest, Class<T> type, Writer<T> writer, Reader<T> reader) {
        return new Codec<>(manifest, type, writer, reader);
    }

    /** The codec of {@code message}'s class; an error if it has none. */
    static Codec<?> of(Object message) {
        Codec<?> c = BY_TYPE.get(message.getClass());
        if (c == null) {
            throw new IllegalArgumentException("no wire codec for " + message.getClass().getName()
                    + " (chorus.actors.wire.MessageCodecs lists the messages that cross nodes)");
        }
        return c;
    }

    /** The codec of a manifest read from the wire. */
    static Codec<?> of(String manifest) throws NotSerializableException {
        Codec<?> c = BY_MANIFEST.get(manifest);
        if (c == null) {
            throw new NotSerializableException("unknown message manifest '" + manifest + "': the sending node runs"
                    + " another version of Chorus; known: " + BY_MANIFEST.keySet());
        }
        return c;
    }
}
