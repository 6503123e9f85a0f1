package chorus.tools.run;

/**
 * A run directory that cannot be used as asked: it cannot be created or written, another process is using
 * it, it already holds a run, or its checkpoint belongs to another run. The message is one line naming the
 * directory; the CLI prints it without a stack trace (exit code 2).
 */
public final class RunDirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunDirectoryException(String message) {
        super(message);
    }

    public RunDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
