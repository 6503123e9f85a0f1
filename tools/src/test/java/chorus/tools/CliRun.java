package chorus.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in this JVM and captures what it printed, for the command tests. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The run stopped with a user error: exit code 2 and exactly one line on stderr, which starts with {@code prefix}. */
    void assertUserError(String prefix) {
        org.junit.jupiter.api.Assertions.assertEquals(UserErrors.USER_ERROR, code, err + out);
        org.junit.jupiter.api.Assertions.assertEquals(1, err.strip().lines().count(), err);
        org.junit.jupiter.api.Assertions.assertTrue(err.startsWith("chorus: " + prefix), err);
    }
}
