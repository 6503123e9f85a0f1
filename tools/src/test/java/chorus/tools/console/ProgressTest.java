package chorus.tools.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void plainOutputPrintsTheStartThenOneLinePerTenth() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), "train", 100, "steps", false)) {
            for (int i = 1; i <= 100; i++) {
                p.update(i);
            }
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(11, lines.length); // 0%, 10%, ..., 100%
        assertTrue(lines[10].startsWith("train [##############################] 100/100 steps"), lines[10]);
    }

    @Test
    void halfwayBarIsHalfFilled() {
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), "x", 10, "steps", false);
        p.update(5);
        assertTrue(p.line(System.nanoTime()).contains("[###############---------------] 5/10"));
    }
}
