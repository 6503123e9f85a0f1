package chorus.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.joint.JointFixtures;
import chorus.models.mfm.MfmFixtures;
import chorus.models.posterior.Gaussian;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The posterior of the joint-encoder models: their joint encoder given every modality it reads, else the unimodal experts. */
class JointPosteriorTest {

    private static final List<String> ALL = List.of("image", "label", "features");
    private static final double[][] PRESENCE = {{1, 1, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** JMVAE: complete rows get q(z | X) of the joint encoder, the others the product of their observed unimodal experts. */
    @Test
    void jmvaeGivenEverythingUsesTheJointEncoderOnCompleteRows() {
        ModelSettings s = JointFixtures.settings(Combination.JMVAE, 0, 21);
        MultimodalVae model = JointFixtures.model(s);
        Batch batch = JointFixtures.batch(s, 0, PRESENCE);
        Gaussian q = Generation.posterior(model, PosteriorRule.of(s), batch, ALL).product();
        Gaussian joint = Generation.encode(model, 3, batch.tensors().get(3));
        assertRows(joint.mu(), q.mu(), 0, 2);
        assertRows(joint.logvar(), q.logvar(), 0, 2);
        Gaussian unimodal = SubsetPosterior.of(List.of(expert(model, batch, 0), expert(model, batch, 1), expert(model, batch, 2)),
                batch.presence().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)), new PosteriorRule(Combination.JMVAE, false)).product();
        assertRows(unimodal.mu(), q.mu(), 1, 3);
    }

    /** Given one modality, its own expert; the batch need not carry the joint modality. */
    @Test
    void jmvaeGivenOneModalityUsesItsUnimodalExpert() {
        ModelSettings s = JointFixtures.settings(Combination.TELBO, 0, 22);
        MultimodalVae model = JointFixtures.model(s);
        Batch batch = ModelFixtures.batch(0, 4, DataType.DOUBLE, new double[][] {{1, 1, 1}, {0, 1, 1}, {1, 1, 0}});
        Gaussian q = Generation.posterior(model, PosteriorRule.of(s), batch, List.of("label", "joint")).product();
        assertRows(expert(model, batch, 1).mu(), q.mu(), 0, 1, 2);
    }

    /** MuMo's joint encoder gives the whole joint latent (zS, z_1, z_2, z_3): Ds + 3 Dp, not counting its own input. */
    @Test
    void mumoJointEncoderGivesTheWholeJointLatent() {
        ModelSettings s = JointFixtures.settings(Combination.MUMO, 1, 23);
        MultimodalVae model = JointFixtures.model(s);
        Batch batch = JointFixtures.batch(s, 0, PRESENCE);
        assertEquals(2 + 3, model.jointLatent());
        Gaussian q = Generation.posterior(model, PosteriorRule.of(s), batch, ALL).product();
        assertRows(Generation.encode(model, 3, batch.tensors().get(3)).mu(), q.mu(), 0, 2);
        assertEquals(3, Generation.decodeAll(model, q.mu()).size());
    }

    /**
     * MFM given image and features (all its multimodal encoder reads): F_y from that encoder, each private factor from its
     * own encoder, the label's private part from the prior; deterministic (a sample is the mean).
     */
    @Test
    void mfmTakesTheFactorFromTheMultimodalEncoderAndPrivatePartsFromTheirModalities() {
        ModelSettings s = MfmFixtures.settings("label", 24);
        MultimodalVae model = JointFixtures.model(s);
        Batch batch = MfmFixtures.batch(s, 0, PRESENCE);
        SubsetPosterior post = Generation.posterior(model, PosteriorRule.of(s), batch, List.of("image", "features"));
        INDArray mu = post.mean();                                                             // [B, 2 + 3]
        INDArray fy = Generation.encode(model, 3, batch.tensors().get(3)).mu();
        assertRows(fy, mu.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)), 0, 1, 2);
        assertRows(expert(model, batch, 2).mu().get(NDArrayIndex.all(), NDArrayIndex.interval(2, 3)),
                mu.get(NDArrayIndex.all(), NDArrayIndex.interval(4, 5)), 0, 1, 2);
        assertEquals(0.0, mu.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 4)).norm2Number().doubleValue(), 0.0);
        INDArray diff = post.sample(5, 0, 1).sub(mu).get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()); // complete rows
        assertEquals(0.0, diff.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).norm2Number().doubleValue(), 1e-6);
        assertEquals(0.0, diff.get(NDArrayIndex.all(), NDArrayIndex.interval(4, 5)).norm2Number().doubleValue(), 1e-6);
        assertEquals(true, diff.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 4)).norm2Number().doubleValue() > 0.1,
                "the label's private part is drawn from the prior");
    }

    /** MFM's label has no generative factor: given the label, its private part is still the prior's (mean 0). */
    @Test
    void mfmLabelsPrivatePartIsThePriorEvenWhenTheLabelIsGiven() {
        ModelSettings s = MfmFixtures.settings("label", 25);
        MultimodalVae model = JointFixtures.model(s);
        Batch batch = MfmFixtures.batch(s, 0, PRESENCE);
        INDArray mu = Generation.posterior(model, PosteriorRule.of(s), batch, ALL).mean();     // [B, 2 + 3]
        assertEquals(0.0, mu.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 4)).norm2Number().doubleValue(), 0.0);
        Batch labelled = MfmFixtures.batch(s, 0, new double[][] {{1, 1, 1}, {0, 1, 1}, {1, 1, 0}});
        INDArray fromLabel = Generation.posterior(model, PosteriorRule.of(s), labelled, List.of("label")).mean();
        assertEquals(0.0, fromLabel.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5)).norm2Number().doubleValue(), 0.0);
        assertRows(expert(model, labelled, 1).mu().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)),
                fromLabel.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)), 0, 1, 2);
    }

    private static Gaussian expert(MultimodalVae model, Batch batch, int j) {
        return Generation.encode(model, j, batch.tensors().get(j));
    }

    private static void assertRows(INDArray expected, INDArray actual, int... rows) {
        for (int r : rows) {
            assertEquals(0.0, expected.getRow(r).sub(actual.getRow(r)).norm2Number().doubleValue(), 1e-12, "row " + r);
        }
    }
}
