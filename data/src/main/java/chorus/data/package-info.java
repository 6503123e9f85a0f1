/**
 * The core of the data module: {@link chorus.data.Modality}, {@link chorus.data.Dataset},
 * {@link chorus.data.Batch} with presence masks, batching ({@link chorus.data.BatchIterator}), missing-modality
 * masks ({@link chorus.data.MissingModalities}), seeds, and the UINT8 image storage every reader shares.
 *
 * <p>Readers live in subpackages by source ({@code idx}, {@code npm}, {@code celeba}, {@code svhn},
 * {@code generated}), the derived views in {@code transform}, and downloading and archives in {@code fetch};
 * they import this package, never the reverse, with one exception: the registry, {@link chorus.data.Datasets}
 * (a dataset name to its reader) and {@link chorus.data.DataSettings} (each reader's settings record), names
 * every reader.
 */
package chorus.data;
