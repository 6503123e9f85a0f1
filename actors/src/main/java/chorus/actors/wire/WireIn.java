package chorus.actors.wire;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import chorus.actors.workers.WorkerId;
import chorus.models.objective.DecodeRequest;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads what {@link WireOut} wrote, value by value in the same order. */
final class WireIn {

    private static final WorkerId.Role[] ROLES = WorkerId.Role.values();

    private final DataInputStream in;
    private final ActorRefResolver refs;

    WireIn(DataInputStream in, ActorRefResolver refs) {
        this.in = in;
        this.refs = refs;
    }

    int int32() throws IOException {
        return in.readInt();
    }

    long int64() throws IOException {
        return in.readLong();
    }

    double float64() throws IOException {
        return in.readDouble();
    }

    boolean bool() throws IOException {
        return in.readBoolean();
    }

    String string() throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] utf8 = new byte[count("string")];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    int[] ints() throws IOException {
        int[] values = new int[count("int list")];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    INDArray array() throws IOException {
        return ArrayCodec.read(in);
    }

    <T> ActorRef<T> ref() throws IOException {
        String path = string();
        if (path == null) {
            throw new NotSerializableException("actor reference: missing");
        }
        return refs.resolveActorRef(path);
    }

    WorkerId worker() throws IOException {
        int role = in.readUnsignedByte();
        if (role >= ROLES.length) {
            throw new NotSerializableException("worker id: role " + role + ", expected 0 to " + (ROLES.length - 1));
        }
        int modality = in.readInt();
        int replica = in.readInt();
        if (modality < 0 || replica < 0) {
            throw new NotSerializableException("worker id: modality " + modality + ", replica " + replica + ", expected >= 0");
        }
        return new WorkerId(ROLES[role], modality, replica);
    }

    Gaussian gaussian() throws IOException {
        return new Gaussian(array(), array());
    }

    GaussianGrad gaussianGrad() throws IOException {
        return new GaussianGrad(array(), array());
    }

    DecodeRequest request() throws IOException {
        return new DecodeRequest(in.readInt(), array(), ints(), array(), array());
    }

    private int count(String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new NotSerializableException(what + ": length " + n + " but " + in.available() + " bytes remain");
        }
        return n;
    }
}
