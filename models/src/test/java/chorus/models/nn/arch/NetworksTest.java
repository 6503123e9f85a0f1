package chorus.models.nn.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The factory: reference architectures by name, and refusals that say what is allowed. */
class NetworksTest {

    private static final Modality MNIST = Modality.image("image", 1, 28, 28, LikelihoodKind.BERNOULLI);
    private static final Modality LABEL = Modality.categorical("label", 10);
    private static final NetworkOptions OPTS = NetworkOptions.of(1);

    private static String refusal(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void mlpEncoderIsTheMvaeMnistEncoder() {
        Network net = Networks.encoder(MNIST, "mlp", 64, MlpNetworks.MVAE_HIDDEN, OPTS);
        long expected = (784 * 512 + 512) + (512 * 512 + 512) + (512 * 128 + 128);
        assertEquals(expected, net.numParams());
        assertEquals(128, net.outputSize());
    }

    @Test
    void convEncoderIsTheMvaeFashionMnistEncoder() {
        Network net = Networks.encoder(MNIST, "conv", 64, ConvNetworks.MVAE_HIDDEN, OPTS);
        long expected = (16 * 64 + 64) + (64 * 16 * 128 + 128) + (128 * 7 * 7 * 512 + 512) + (512 * 128 + 128);
        assertEquals(expected, net.numParams());
        assertEquals(784, net.inputSize());
    }

    @Test
    void convDecoderIsTheMvaeFashionMnistDecoder() {
        Network net = Networks.decoder(MNIST, "conv", 64, ConvNetworks.MVAE_HIDDEN, 784, OPTS);
        long expected = (64 * 512 + 512) + (512 * 6272 + 6272) + (128 * 64 * 16 + 64) + (64 * 16 + 1);
        assertEquals(expected, net.numParams());
        assertEquals(784, net.outputSize());
    }

    @Test
    void embeddingEncoderTakesTheOneHotWidth() {
        Network net = Networks.encoder(LABEL, "embedding", 8, List.of(16, 16), OPTS);
        assertEquals((10 * 16 + 16) + (16 * 16 + 16) + (16 * 16 + 16), net.numParams());
    }

    @Test
    void aOneValueBernoulliAttributeGetsEmbeddingOrMlpNetworks() {
        Modality smiling = new Modality("smiling", Modality.Kind.ATTRIBUTES, new int[] {1}, LikelihoodKind.BERNOULLI);
        assertEquals(List.of("mlp", "embedding"), Networks.allowed(smiling));
        Network decoder = Networks.decoder(smiling, "embedding", 8, List.of(16), 1, OPTS);
        assertEquals((8 * 16 + 16) + (16 * 1 + 1), decoder.numParams());
        assertEquals(1, decoder.outputSize());
    }

    @Test
    void conv3ChannelImagesNeedNoSpecialCase() {
        Modality rgb = Modality.image("image", 3, 8, 8, LikelihoodKind.BERNOULLI);
        assertEquals(3 * 8 * 8, Networks.decoder(rgb, "conv", 4, List.of(4, 4, 16), 3 * 8 * 8, OPTS).outputSize());
    }

    @Test
    void convOnACategoricalModalityNamesModalityArchitectureAndAlternatives() {
        String m = refusal(() -> Networks.encoder(LABEL, "conv", 8, ConvNetworks.MVAE_HIDDEN, OPTS));
        assertTrue(m.contains("label") && m.contains("'conv'") && m.contains("needs an IMAGE modality")
                && m.contains("allowed for this modality: mlp, embedding"), m);
    }

    @Test
    void convLayersThatShrinkTheImageAwayAreRefusedNamingTheLayer() {
        Modality small = Modality.image("small", 1, 8, 8, LikelihoodKind.BERNOULLI);
        String m = refusal(() -> Networks.encoder(small, "conv", 8, List.of(2, 2, 2, 2, 4), OPTS));
        assertTrue(m.contains("side 8 shrinks to 1 before convolution 4 of 4"), m);
    }

    @Test
    void convOnAnOddSizedImageRestoresItsSideExactly() {
        Modality odd = Modality.image("odd", 1, 30, 26, LikelihoodKind.BERNOULLI);
        Network dec = Networks.decoder(odd, "conv", 4, List.of(2, 2, 8), 30 * 26, OPTS);
        assertEquals(30 * 26, dec.output(org.nd4j.linalg.factory.Nd4j.zeros(dec.dataType(), 2, 4)).size(1));
    }

    @Test
    void deepConvNetsAreTheMvaeMultiMnistImageNets() {
        Modality canvas = Modality.image("image", 1, 50, 50, LikelihoodKind.BERNOULLI);
        ConvLayout layout = new ConvLayout(List.of(2, 2, 2, 2), List.of(1, 1, 1, 0)); // 50 -> 25 -> 12 -> 6 -> 2
        Network enc = Networks.encoder(canvas, "conv", 64, ConvNetworks.MVAE_DEEP_HIDDEN, layout, OPTS);
        long convs = (16 * 32 + 32) + (32 * 16 * 64 + 64) + (64 * 16 * 128 + 128) + (128 * 16 * 256 + 256);
        assertEquals(convs + (256 * 2 * 2 * 512 + 512) + (512 * 128 + 128), enc.numParams());
        Network dec = Networks.decoder(canvas, "conv", 64, ConvNetworks.MVAE_DEEP_HIDDEN, layout, 2500, OPTS);
        long deconvs = (256 * 16 * 128 + 128) + (128 * 16 * 64 + 64) + (64 * 25 * 32 + 32) + (32 * 16 + 1); // kernels 4, 4, 5, 4
        assertEquals((64 * 512 + 512) + (512 * 1024 + 1024) + deconvs, dec.numParams());
    }

    @Test
    void deepConvNetsAreTheMvaeCelebaImageNets() {
        Modality face = Modality.image("image", 3, 64, 64, LikelihoodKind.BERNOULLI);
        ConvLayout layout = new ConvLayout(List.of(2, 2, 2, 1), List.of(1, 1, 1, 0)); // 64 -> 32 -> 16 -> 8 -> 5
        Network enc = Networks.encoder(face, "conv", 100, ConvNetworks.MVAE_DEEP_HIDDEN, layout, OPTS);
        long convs = (3 * 16 * 32 + 32) + (32 * 16 * 64 + 64) + (64 * 16 * 128 + 128) + (128 * 16 * 256 + 256);
        assertEquals(convs + (256 * 5 * 5 * 512 + 512) + (512 * 200 + 200), enc.numParams());
        Network dec = Networks.decoder(face, "conv", 100, ConvNetworks.MVAE_DEEP_HIDDEN, layout, 3 * 64 * 64, OPTS);
        long deconvs = (256 * 16 * 128 + 128) + (128 * 16 * 64 + 64) + (64 * 16 * 32 + 32) + (32 * 16 * 3 + 3);
        assertEquals((100 * 512 + 512) + (512 * 256 * 25 + 256 * 25) + deconvs, dec.numParams());
    }

    @Test
    void embeddingOnAnImageIsRefused() {
        String m = refusal(() -> Networks.encoder(MNIST, "embedding", 8, List.of(16), OPTS));
        assertTrue(m.contains("CATEGORICAL or ATTRIBUTES") && m.contains("allowed for this modality: mlp, conv"), m);
    }

    @Test
    void unknownArchitectureListsTheKnownOnes() {
        String m = refusal(() -> Networks.encoder(MNIST, "resnet", 8, List.of(16), OPTS));
        assertTrue(m.contains("'resnet'") && m.contains("mlp, conv, embedding, gru") && m.contains("image"), m);
    }

    @Test
    void convDecoderOutputsMustFillWholeImageMaps() {
        String m = refusal(() -> Networks.decoder(MNIST, "conv", 8, ConvNetworks.MVAE_HIDDEN, 800, OPTS));
        assertTrue(m.contains("800 outputs") && m.contains("multiple of height*width = 784"), m);
    }

    @Test
    void convHiddenSizesNeedAConvolutionAndADenseWidth() {
        String m = refusal(() -> Networks.encoder(MNIST, "conv", 8, List.of(64), OPTS));
        assertTrue(m.contains("[c1, ..., cK, dense]"), m);
    }

    @Test
    void aSequenceGetsGruOrMlpNetworks() {
        Modality text = Modality.sequence("text", 4, 11);
        assertEquals(List.of("mlp", "gru"), Networks.allowed(text));
        assertEquals(4 + 44, Networks.decoder(text, "gru", 4, List.of(3, 5), 44, OPTS).inputSize());
    }
}
