package chorus.tools.run;

/**
 * A checkpoint that cannot be used as asked: missing, not a checkpoint, truncated or corrupt, of an
 * unsupported format version, or written for a different model. The message is one line that names the
 * file and what is wrong; the CLI prints it without a stack trace (exit code 2).
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
