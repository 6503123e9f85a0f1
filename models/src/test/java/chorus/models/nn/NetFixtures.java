package chorus.models.nn;

import chorus.models.nn.arch.ConvLayout;
import chorus.models.nn.arch.ConvNetworks;
import chorus.models.nn.arch.EmbeddingNetworks;
import chorus.models.nn.arch.MlpNetworks;
import chorus.models.nn.sequence.SequenceNetworks;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny double-precision networks of every builder, and seeded random inputs for them. */
public final class NetFixtures {

    /** Double precision, so finite differences resolve 1e-6 relative errors. */
    public static final NetworkOptions DOUBLE = NetworkOptions.of(42).withDataType(DataType.DOUBLE);

    private NetFixtures() {
    }

    /** Builders of one tiny network per architecture and side, by name, from options. */
    public static Stream<Named<Function<NetworkOptions, Network>>> builders() {
        return Stream.of(
                Named.of("mlp encoder", o -> MlpNetworks.encoder(6, List.of(5, 4), 3, o)),
                Named.of("mlp decoder", o -> MlpNetworks.decoder(3, List.of(4, 5), 6, o)),
                Named.of("conv encoder 2x8x8", o -> ConvNetworks.encoder(2, 8, 8, List.of(3, 4, 6), 2, o)),
                Named.of("conv decoder 2x8x8", o -> ConvNetworks.decoder(2, List.of(3, 4, 6), 2, 8, 8, o)),
                Named.of("deep conv encoder 1x26x26", o -> ConvNetworks.encoder(1, 26, 26, List.of(2, 2, 2, 3),
                        new ConvLayout(List.of(2, 2, 2), List.of(1, 1, 0)), 2, o)), // 26 -> 13 -> 6 -> 2
                Named.of("deep conv decoder 1x26x26", o -> ConvNetworks.decoder(2, List.of(2, 2, 2, 3),
                        new ConvLayout(List.of(2, 2, 2), List.of(1, 1, 0)), 1, 26, 26, o)), // kernels 4, 5, 4
                Named.of("embedding encoder", o -> EmbeddingNetworks.encoder(5, List.of(4, 4), 2, o)),
                Named.of("embedding decoder", o -> EmbeddingNetworks.decoder(2, List.of(4, 4), 5, o)));
    }

    /** Builders of the tiny recurrent sequence networks (3 positions over 4 tokens), which have no DL4J twin. */
    public static Stream<Named<Function<NetworkOptions, Network>>> recurrent() {
        return Stream.of(
                Named.of("gru encoder", o -> SequenceNetworks.encoder(3, 4, List.of(3, 4), 2, o)),
                Named.of("gru decoder", o -> SequenceNetworks.decoder(2, 3, 4, List.of(3, 4), o)));
    }

    /** Every builder: the layer stacks and the recurrent networks. */
    public static Stream<Named<Function<NetworkOptions, Network>>> all() {
        return Stream.concat(builders(), recurrent());
    }

    /** One tiny network per architecture and side, in double, by name. */
    public static Stream<Named<Network>> networks() {
        return all().map(b -> Named.of(b.getName(), b.getPayload().apply(DOUBLE)));
    }

    /** A tiny mlp encoder 6 -> [5, 4] -> 2*3 in double. */
    public static Network mlp(long seed) {
        return MlpNetworks.encoder(6, List.of(5, 4), 3, DOUBLE.withSeed(seed));
    }

    /** {@code [rows, cols]} standard normal values from {@code seed}, in double. */
    public static INDArray randn(long seed, int rows, int cols) {
        Random r = new Random(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
    }
}
