package chorus.actors.wire;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;

/**
 * The Akka serializer of every message that crosses a worker boundary (bound in the actors module's
 * reference.conf; Java serialization stays off). Compact binary: a format version byte, then the
 * message's fields as {@link MessageCodecs} lists them, arrays as shape, data type and raw C-order values
 * ({@link ArrayCodec}), actor references through the {@link ActorRefResolver}. The manifest names the
 * message type. Every node of a cluster must run the same format version; a message of another version
 * is refused with a message that says so.
 */
public final class ChorusSerializer extends SerializerWithStringManifest {

    /** This serializer's fixed Akka identifier (Akka reserves 0 to 40). */
    public static final int IDENTIFIER = 604_271;

    /** The wire format written by this build (2: a worker id carries its replica; 3: a decode request carries held rows). */
    static final int VERSION = 3;

    private final ExtendedActorSystem system;
    private volatile ActorRefResolver refs;

    /** Akka creates the serializer with its actor system. */
    public ChorusSerializer(ExtendedActorSystem system) {
        this.system = system;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object message) {
        return MessageCodecs.of(message).manifest();
    }

    @Override
    public byte[] toBinary(Object message) {
        MessageCodecs.Codec<?> codec = MessageCodecs.of(message);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            codec.write(message, new WireOut(out, resolver()));
        } catch (IOException e) {
            throw new UncheckedIOException("serializing " + codec.manifest() + ": " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        MessageCodecs.Codec<?> codec = MessageCodecs.of(manifest);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new NotSerializableException(manifest + " in wire format " + version + ", this node reads format "
                        + VERSION + ": run the same Chorus version on every node");
            }
            Object message = codec.reader().read(new WireIn(in, resolver()));
            if (in.available() > 0) {
                throw new NotSerializableException(manifest + ": " + in.available() + " bytes left after the message");
            }
            return message;
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException | RuntimeException e) { // truncated bytes, or values a message's constructor rejects
            NotSerializableException failed = new NotSerializableException(manifest + ": " + e.getMessage());
            failed.initCause(e);
            throw failed;
        }
    }

    /** Looked up on first use: the resolver extension may not exist yet while Akka creates its serializers. */
    private ActorRefResolver resolver() {
        ActorRefResolver r = refs;
        if (r == null) {
            r = ActorRefResolver.get(Adapter.toTyped(system));
            refs = r;
        }
        return r;
    }
}
