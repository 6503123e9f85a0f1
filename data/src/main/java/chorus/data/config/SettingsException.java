package chorus.data.config;

/**
 * A configuration value a user must fix: the message is one line naming the key, the file and line
 * it came from, and what was expected. The CLI prints it without a stack trace.
 */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }
}
