package chorus.models.mmpoe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelGradCheck;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.joint.JointFixtures;
import chorus.models.objective.TermValue;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** MMPoE v1 (joint loss) and v2 (joint + single losses) over a shared + private latent. */
class MmpoeTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** Same weights, batch and seed: v2's terms are v1's (identical values) plus the single-modality ones, and so is its loss. */
    @Test
    void v1AndV2DifferExactlyByTheSingleModalityTerms() {
        ModelSettings v1 = JointFixtures.settings(Combination.MMPOE_V1, 1, 8);
        ModelSettings v2 = JointFixtures.settings(Combination.MMPOE_V2, 1, 8);
        MultimodalVae model = JointFixtures.model(v1);
        Batch batch = JointFixtures.batch(v1, 3, ModelFixtures.someMissing());
        ReferenceModel.Evaluated one = ReferenceModel.evaluate(model, JointFixtures.objective(v1), batch, 0.7);
        ReferenceModel.Evaluated two = ReferenceModel.evaluate(model, JointFixtures.objective(v2), batch, 0.7);
        Map<String, Double> second = two.terms().stream().collect(Collectors.toMap(TermValue::name, TermValue::value));
        for (TermValue t : one.terms()) {
            assertEquals(t.value(), second.remove(t.name()), 1e-12, t.name());
        }
        assertEquals(List.of("image", "label", "features"), second.keySet().stream().map(n -> n.replaceAll(".*\\[(.*)]", "$1"))
                .distinct().sorted((a, b) -> List.of("image", "label", "features").indexOf(a)
                        - List.of("image", "label", "features").indexOf(b)).toList());
        double singles = 0;
        for (var e : second.entrySet()) {
            singles += e.getKey().startsWith("nll") ? e.getValue() : 0.7 * e.getValue();
        }
        assertEquals(one.loss() + singles, two.loss(), 1e-10);
    }

    @Test
    void v1GradientsMatchFiniteDifferencesWithMissingModalities() {
        ModelSettings s = JointFixtures.settings(Combination.MMPOE_V1, 1, 9);
        ModelGradCheck.assertGradients(JointFixtures.model(s), JointFixtures.objective(s),
                JointFixtures.batch(s, 2, ModelFixtures.someMissing()), 0.9, 6, true);
    }
}
