/**
 * Finding and fetching a dataset's files: {@link chorus.data.fetch.DatasetLocator} (the configured path, the
 * default places, then the fetchers), the fetchers ({@link chorus.data.fetch.UrlDownloader},
 * {@link chorus.data.fetch.NpmPack}, {@link chorus.data.fetch.AptDownload}) and the archive helpers
 * ({@link chorus.data.fetch.TarReader}, {@link chorus.data.fetch.BoundedInputStream}). Imports only the core.
 */
package chorus.data.fetch;
