package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.config.SettingsException;
import chorus.tools.memory.JvmCaps;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {

    private static final String[] TRAIN = {"train", "-Dchorus.data.dataset=fashion-mnist", "-Dchorus.data.batch-size=10"};

    private static List<String> flags(String user, String... args) {
        return MemoryPlanner.flags(user, args, false);
    }

    @Test
    void trainingPrintsTheHeapAndBothJavacppCaps() {
        List<String> f = flags("", TRAIN);
        assertEquals(3, f.size(), f.toString());
        assertTrue(f.get(0).matches("-Xmx\\d+m"), f.toString());
        assertTrue(f.get(1).startsWith("-Dorg.bytedeco.javacpp.maxbytes="), f.toString());
        assertTrue(f.get(2).startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes="), f.toString());
    }

    @Test
    void theResidentCapHoldsTheDataAsStoredAndTheResidentOverhead() {
        String physical = flags("", TRAIN).get(2);
        long mib = Long.parseLong(physical.substring(physical.indexOf('=') + 1, physical.length() - 1));
        long data = 70_000L * (784 + (10 + 2) * 4); // Fashion-MNIST's 70,000 rows: image bytes, label and presence floats
        assertTrue(mib >= (data + JvmCaps.RESIDENT) >> 20, physical);
    }

    @Test
    void userCapsAreNotPrinted() {
        List<String> f = flags("-Xmx3g -Dorg.bytedeco.javacpp.maxbytes=4G", TRAIN);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes="), f.toString());
    }

    @Test
    void helpAndCommandsWithoutDataNeedNoPlan() {
        assertEquals(List.of(), flags("", "train", "--help"));
        assertEquals(List.of(), flags("", "--version"));
    }

    @Test
    void aBadConfigIsLeftToTheCommandToReport() {
        assertThrows(SettingsException.class, () -> flags("", "train", "-Dchorus.data.batchsize=3"));
        assertFalse(flags("", TRAIN).isEmpty());
    }
}
