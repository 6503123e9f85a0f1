package chorus.data.fetch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a dataset's directory must hold, so {@link DatasetLocator} can tell a usable place from an empty one. */
public interface DatasetFiles {

    /** The dataset's directory name under {@code $CHORUS_DATA} or {@code ~/.chorus/datasets}. */
    String name();

    /** The files expected, for messages (e.g. {@code train-images-idx3-ubyte[.gz], ...}). */
    String expected();

    /** What {@code dir} lacks, one entry per missing file; empty when the dataset can be read from it. */
    List<String> missingIn(Path dir);

    /** The Debian package that installs the dataset under {@code /usr/share/datasets/<name>}, if any. */
    Optional<String> debianPackage();
}
