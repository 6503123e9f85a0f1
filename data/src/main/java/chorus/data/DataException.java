package chorus.data;

/**
 * A dataset could not be found, fetched or read. The message is one line that names the file or
 * place involved and says what was expected and what was found, so the CLI can print it as is.
 */
public final class DataException extends RuntimeException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
