package chorus.data.fetch;

import chorus.data.DataException;
import java.nio.file.Path;

/** Fetches a dataset's files from the network into a directory; the last resort of {@link DatasetLocator}. */
public interface Fetcher {

    /** What would be fetched from where into {@code dir}, for messages (a URL, or the exact command). */
    String describe(Path dir);

    /** Fetches into {@code dir} (created if needed), checking integrity; a {@link DataException} says why not. */
    void fetchInto(Path dir);
}
