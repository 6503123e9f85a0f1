package chorus.data;

import chorus.data.fetch.DatasetLocator;
import chorus.data.idx.IdxReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny files and datasets shared by the data tests. */
public final class DataFixtures {

    private DataFixtures() {
    }

    /** Pixel {@code j} of image {@code i} in the generated IDX files. */
    public static int pixel(int i, int j) {
        return (i * 7 + j) % 256;
    }

    /** Label of row {@code i} in the generated IDX files. */
    public static int label(int i) {
        return (i * 3) % 10;
    }

    /** An IDX images file whose header says {@code count} images but which holds {@code stored} of them. */
    public static byte[] idxImages(int magic, int count, int rows, int cols, int stored) {
        ByteBuffer b = ByteBuffer.allocate(16 + stored * rows * cols).putInt(magic).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < stored; i++) {
            for (int j = 0; j < rows * cols; j++) {
                b.put((byte) pixel(i, j));
            }
        }
        return b.array();
    }

    /** An IDX labels file whose header says {@code count} labels but which holds {@code stored}. */
    public static byte[] idxLabels(int count, int stored) {
        ByteBuffer b = ByteBuffer.allocate(8 + stored).putInt(IdxReader.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < stored; i++) {
            b.put((byte) label(i));
        }
        return b.array();
    }

    public static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }

    /** The four Fashion-MNIST files with {@code train} and {@code test} 28x28 images, in {@code dir}. */
    public static Path fashionDir(Path dir, int train, int test, boolean gzip) throws IOException {
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + suffix), idxImages(IdxReader.IMAGES_MAGIC, train, 28, 28, train), gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + suffix), idxLabels(train, train), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte" + suffix), idxImages(IdxReader.IMAGES_MAGIC, test, 28, 28, test), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + suffix), idxLabels(test, test), gzip);
        return dir;
    }

    /** Every pixel of image {@code k} of digit {@code d} in the generated npm digit files. */
    public static float digitPixel(int d, int k) {
        return (d * 10 + k % 10) / 100f;
    }

    /** A digit file {@code {"data": [...]}} of {@code count} images of digit {@code d}. */
    public static byte[] digitJson(int d, int count) {
        StringBuilder sb = new StringBuilder("{ \"data\": [");
        for (int k = 0; k < count; k++) {
            for (int j = 0; j < 784; j++) {
                sb.append(k + j == 0 ? "" : ",").append(digitPixel(d, k));
            }
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code dir/<sub>/0.json ... 9.json} with {@code perDigit[d]} images of digit d. */
    public static Path digitsDir(Path dir, String sub, int[] perDigit) throws IOException {
        for (int d = 0; d < 10; d++) {
            write(dir.resolve(sub).resolve(d + ".json"), digitJson(d, perDigit[d]), false);
        }
        return dir;
    }

    /** An npm-style tarball holding {@code package/src/digits/d.json} with {@code perDigit[d]} images. */
    public static Path digitsTarball(Path file, int[] perDigit) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tarEntry(tar, "package/package.json", "{\"name\":\"mnist\"}".getBytes(StandardCharsets.UTF_8));
        for (int d = 0; d < 10; d++) {
            tarEntry(tar, "package/src/digits/" + d + ".json", digitJson(d, perDigit[d]));
        }
        tar.write(new byte[1024]);
        return write(file, tar.toByteArray(), true);
    }

    private static void tarEntry(ByteArrayOutputStream tar, String name, byte[] content) throws IOException {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = '0';
        put(header, 257, "ustar");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xFF;
        }
        put(header, 148, String.format("%06o", sum));
        tar.write(header);
        tar.write(content);
        tar.write(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    public static String sha(String algorithm, Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
    }

    /** Three modalities (categorical 3, categorical 2, image 1x2x2); every value of row i is i + 1. */
    public static Dataset tiny(int n) {
        List<Modality> modalities = List.of(Modality.categorical("a", 3), Modality.categorical("b", 2),
                Modality.image("c", 1, 2, 2, LikelihoodKind.BERNOULLI));
        List<INDArray> data = new ArrayList<>();
        for (Modality m : modalities) {
            float[] values = new float[n * m.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = i / m.size() + 1;
            }
            data.add(Nd4j.create(values, new long[] {n, m.size()}, DataType.FLOAT));
        }
        int[] labels = new int[n];
        java.util.Arrays.setAll(labels, i -> i % 3);
        return Dataset.fullyObserved("tiny", "train", "fixtures", modalities, data, labels);
    }

    /** A locator with {@code $CHORUS_DATA} = {@code envRoot} (unset when null). */
    public static DatasetLocator locator(Path envRoot, Path home, Path systemRoot) {
        Map<String, String> env = envRoot == null ? Map.of() : Map.of(DatasetLocator.ENV, envRoot.toString());
        return new DatasetLocator(env, home, systemRoot);
    }
}
