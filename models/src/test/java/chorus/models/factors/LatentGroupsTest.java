package chorus.models.factors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.joint.JointFixtures;
import chorus.models.joint.JointInput;
import chorus.models.objective.EncoderStage;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** MuMo-VAE's latent layout (shared, private_1, ..., private_M) as the factor evaluation reads and decodes it. */
class LatentGroupsTest {

    private static final ModelSettings MUMO = JointFixtures.settings(Combination.MUMO, 1, 31);

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void groupsAreTheSharedUnitsThenEachModalitysPrivateOnes() {
        List<LatentGroups.Group> g = LatentGroups.groups(MUMO, ModelFixtures.MODALITIES);
        assertEquals(List.of("shared", "private:image", "private:label", "private:features"),
                g.stream().map(LatentGroups.Group::name).toList());
        assertEquals(4, g.get(3).columns()[0]);
    }

    @Test
    void meansOfAJointModelAreItsJointEncodersMeans() {
        MultimodalVae model = JointFixtures.model(MUMO);
        Dataset data = ModelFixtures.dataset("test", 6, 3);
        INDArray means = LatentGroups.means(model, MUMO, data, 6, 4);
        INDArray joint = JointInput.batch(data.batch(0, new int[] {0, 1, 2, 3, 4, 5})).tensors().get(3);
        INDArray expected = EncoderStage.expert(model.encoders().get(3).output(joint.castTo(DataType.DOUBLE))).mu();
        assertEquals(0.0, expected.sub(means.castTo(DataType.DOUBLE)).norm2Number().doubleValue(), 1e-6);
    }

    /** Given the label alone: its expert's shared and private parts in their slots, the other private parts 0. */
    @Test
    void givenOneModalityPlacesItsExpertAndThePriorMeanElsewhere() {
        MultimodalVae model = JointFixtures.model(MUMO);
        Dataset data = ModelFixtures.dataset("test", 4, 5);
        int[] rows = {0, 1, 2, 3};
        INDArray z = LatentGroups.givenOne(model, MUMO, data, 1, rows);                        // [4, 2 + 3]
        INDArray mu = EncoderStage.expert(model.encoders().get(1).output(data.batch(0, rows).tensors().get(1)
                .castTo(DataType.DOUBLE))).mu();                                               // [4, 3]
        assertEquals(0.0, z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).sub(mu.get(NDArrayIndex.all(),
                NDArrayIndex.interval(0, 2))).norm2Number().doubleValue(), 1e-6);
        assertEquals(0.0, z.getColumn(3).sub(mu.getColumn(2)).norm2Number().doubleValue(), 1e-6);
        assertEquals(0.0, z.getColumn(2).norm2Number().doubleValue() + z.getColumn(4).norm2Number().doubleValue(), 0.0);
    }
}
