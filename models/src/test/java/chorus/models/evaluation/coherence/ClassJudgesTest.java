package chorus.models.evaluation.coherence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassJudgesTest {

    private static final ImageClassifier.Settings SMALL = new ImageClassifier.Settings(List.of(4), 1, 10, 1e-2, 3);

    @TempDir
    Path dir;

    @Test
    void theLabelJudgesItselfTheImageGetsAClassifierAndAttributesNone() {
        Dataset train = CoherenceTableTest.labelled(ModelFixtures.dataset("train", 20, 1));
        Dataset test = CoherenceTableTest.labelled(ModelFixtures.dataset("test", 10, 2));
        List<ClassJudge> judges = ClassJudges.of(train, test, dir, SMALL);
        assertEquals(2, judges.size());
        ClassJudge.Trained image = assertInstanceOf(ClassJudge.Trained.class, judges.get(0));
        assertEquals("image", image.name());
        assertEquals(10, image.testRows());
        assertTrue(image.cache().getFileName().toString().startsWith("tiny-image-"), image.cache().toString());
        assertEquals(new ClassJudge.Label(1, "label"), judges.get(1));
        assertEquals(3, ClassJudges.classes(train, test));
    }

    @Test
    void aDatasetWithoutLabelsSaysSo() {
        assertEquals("tiny has no class labels", ClassJudges.notApplicable(ModelFixtures.dataset("test", 4, 1)).orElseThrow());
    }
}
