package chorus.actors.wire;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import chorus.actors.workers.WorkerId;
import chorus.models.objective.DecodeRequest;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes the values messages are made of; {@link WireIn} reads them back in the same order. */
final class WireOut {

    private final DataOutputStream out;
    private final ActorRefResolver refs;

    WireOut(DataOutputStream out, ActorRefResolver refs) {
        this.out = out;
        this.refs = refs;
    }

    void int32(int v) throws IOException {
        out.writeInt(v);
    }

    void int64(long v) throws IOException {
        out.writeLong(v);
    }

    void float64(double v) throws IOException {
        out.writeDouble(v);
    }

    void bool(boolean v) throws IOException {
        out.writeBoolean(v);
    }

    /** A string of any length, or null. */
    void string(String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }

    void ints(int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    /** An array of any type and shape, or null. */
    void array(INDArray a) throws IOException {
        ArrayCodec.write(out, a);
    }

    /** An actor reference in its serialized form (its path with the node's address). */
    void ref(ActorRef<?> ref) throws IOException {
        string(refs.toSerializationFormat(ref));
    }

    void worker(WorkerId id) throws IOException {
        out.writeByte(id.role().ordinal());
        out.writeInt(id.modality());
        out.writeInt(id.replica());
    }

    void gaussian(Gaussian g) throws IOException {
        array(g.mu());
        array(g.logvar());
    }

    void gaussianGrad(GaussianGrad g) throws IOException {
        array(g.dMu());
        array(g.dLogvar());
    }

    void request(DecodeRequest r) throws IOException {
        out.writeInt(r.modality());
        array(r.z());
        ints(r.dataRows());
        array(r.coefficients());
        array(r.held());
    }
}
