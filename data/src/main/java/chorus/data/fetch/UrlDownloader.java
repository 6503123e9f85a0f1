package chorus.data.fetch;

import chorus.data.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Downloads a fixed set of files from one base address, each checked against its SHA-256. A file
 * is written to a temporary file beside its destination and renamed only once its hash matches,
 * so an interrupted or corrupt download never looks like a dataset. Files already present are kept.
 */
public final class UrlDownloader implements Fetcher {

    /** Seconds to wait for a connection: failing fast matters more than patience on a slow link. */
    public static final int CONNECT_TIMEOUT_SECONDS = 5;
    /** Seconds a read may stall before the download is abandoned. */
    public static final int READ_TIMEOUT_SECONDS = 60;

    private final String baseUrl;
    private final Map<String, String> sha256ByFile;

    /** Downloads {@code baseUrl + file} for each file of {@code sha256ByFile} (hex SHA-256 of each). */
    public UrlDownloader(String baseUrl, Map<String, String> sha256ByFile) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.sha256ByFile = new LinkedHashMap<>(sha256ByFile);
    }

    @Override
    public String describe(Path dir) {
        return "download of " + String.join(", ", sha256ByFile.keySet()) + " from " + baseUrl + " into " + dir;
    }

    @Override
    public void fetchInto(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot create the download directory (" + e + ")", e);
        }
        for (Map.Entry<String, String> file : sha256ByFile.entrySet()) {
            Path target = dir.resolve(file.getKey());
            if (!Files.exists(target)) {
                download(baseUrl + file.getKey(), target, file.getValue());
            }
        }
    }

    private static void download(String url, Path target, String expectedSha256) {
        Path partial = null;
        try {
            partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
            URLConnection connection = URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(CONNECT_TIMEOUT_SECONDS * 1000);
            connection.setReadTimeout(READ_TIMEOUT_SECONDS * 1000);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(connection.getInputStream(), sha256)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            String found = HexFormat.of().formatHex(sha256.digest());
            if (!found.equalsIgnoreCase(expectedSha256)) {
                throw new DataException(url + ": SHA-256 " + found + ", expected " + expectedSha256);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
        } catch (IOException e) {
            throw new DataException(url + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256, which every Java platform must provide", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void deleteQuietly(Path partial) {
        if (partial != null) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // A leftover .part file is harmless: it never matches a dataset file name.
            }
        }
    }
}
