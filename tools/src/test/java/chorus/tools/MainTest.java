package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the command line says when a command runs out of memory (picocli lets Errors through). */
class MainTest {

    @Test
    void outOfMemoryIsOneLineNamingTheLimitAndHowToRaiseIt() {
        OutOfMemoryError e = new OutOfMemoryError("Cannot allocate new LongPointer(4)");
        e.initCause(new OutOfMemoryError("Physical memory usage is too high: physicalBytes (1717M) > maxPhysicalBytes (1660M)"));
        String line = Main.outOfMemory(e);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.startsWith("chorus: out of memory (Physical memory usage is too high"), line);
        assertTrue(line.contains("CHORUS_MEMORY_DEBUG=1") && line.contains("--batch-size")
                && line.contains("CHORUS_JAVA_OPTS=\"-Xmx4g"), line);
    }
}
