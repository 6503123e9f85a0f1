package chorus.tools.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The container of a checkpoint: a zip of named entries, each carrying its CRC-32, written through
 * {@link AtomicFile}, so a reader sees the previous file or the new one, never a mixture; a file cut short (no zip
 * directory at its end) or with a damaged entry (CRC mismatch) is reported as such.
 */
final class CheckpointArchive {

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private CheckpointArchive() {
    }

    /**
     * Writes {@code entries} in order, each made when its turn comes; {@code compress} entries are deflated, the others stored (parameters
     * compress poorly and storing them keeps writes fast). {@code wrap} decorates the file's stream (tests
     * inject failures with it).
     */
    static void write(Path file, Map<String, Supplier<byte[]>> entries, java.util.Set<String> compress,
            UnaryOperator<OutputStream> wrap) {
        try {
            AtomicFile.write(file, raw -> {
                ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(wrap.apply(raw), 1 << 16));
                for (var e : entries.entrySet()) {
                    byte[] bytes = e.getValue().get();
                    zip.putNextEntry(entry(e.getKey(), bytes, compress.contains(e.getKey())));
                    zip.write(bytes);
                    zip.closeEntry();
                }
                zip.finish();
                zip.flush();
            });
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint " + file + ": cannot write (" + e.getMessage()
                    + "); any previous file there is unchanged", e);
        }
    }

    /** Every entry of {@code file}, CRC-checked, in archive order. */
    static Map<String, byte[]> read(Path file) {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            if (n == 0) {
                throw new CheckpointException("checkpoint " + file + ": empty file, not a checkpoint");
            }
            if (n < 4 || !java.util.Arrays.equals(head, ZIP_MAGIC)) {
                throw new CheckpointException("checkpoint " + file + ": not a Chorus checkpoint (not a zip archive)");
            }
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint " + file + ": no such file");
        } catch (IOException e) {
            throw new CheckpointException("checkpoint " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (bytes.length != e.getSize() || crc.getValue() != e.getCrc()) {
                    throw new CheckpointException("checkpoint " + file + ": corrupt (entry " + e.getName()
                            + " fails its CRC-32 check)");
                }
                out.put(e.getName(), bytes);
            }
        } catch (IOException e) { // the file opened above, so a failure here is in its contents
            throw new CheckpointException("checkpoint " + file + ": truncated or corrupt (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static ZipEntry entry(String name, byte[] bytes, boolean deflate) {
        ZipEntry e = new ZipEntry(name);
        if (!deflate) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            e.setCrc(crc.getValue());
        }
        return e;
    }
}
