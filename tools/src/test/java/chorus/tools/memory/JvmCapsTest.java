package chorus.tools.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JvmCapsTest {

    private static final JvmCaps CAPS = new JvmCaps(256L << 20, 1000L << 20, 1800L << 20);

    @Test
    void withoutUserOptionsAllThreeCapsArePrinted() {
        assertEquals(List.of("-Xmx256m", "-Dorg.bytedeco.javacpp.maxbytes=1000M",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=1800M"), CAPS.flags(""));
    }

    @Test
    void aUserHeapWinsAndThePhysicalCapFollowsIt() {
        long physical = (1800L << 20) + (1L << 30) - (256L << 20); // room for the user's larger heap
        assertEquals(List.of("-Dorg.bytedeco.javacpp.maxbytes=1000M",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + (physical >> 20) + "M"), CAPS.flags("-ea -Xmx1g"));
    }

    @Test
    void userJavacppCapsWin() {
        assertEquals(List.of("-Xmx256m"), CAPS.flags("-Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=3G"));
    }

    @Test
    void sizesReadTheJvmAndJavacppSuffixes() {
        assertEquals(OptionalLong.of(3L << 30), JvmCaps.size("3G"));
        assertEquals(OptionalLong.of(640L << 20), JvmCaps.size("640m"));
        assertEquals(OptionalLong.of(1024), JvmCaps.size("1024"));
        assertEquals(OptionalLong.empty(), JvmCaps.size("lots"));
    }
}
