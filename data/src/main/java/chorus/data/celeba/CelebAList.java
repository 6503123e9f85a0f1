package chorus.data.celeba;

import chorus.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CelebA's two list files, read and validated together (Liu et al. 2015, "Align&amp;Cropped Images"):
 * {@code list_attr_celeba.txt} (line 1 the row count, line 2 the 40 attribute names, then one line per image:
 * its file name and 40 values of 1 or -1, separated by one or more spaces) and {@code list_eval_partition.txt}
 * ({@code 000001.jpg 0} per line: 0 train, 1 validation, 2 test), which must name the same files in the
 * same order. Every error is one line naming the file and the line.
 *
 * @param files      image file names, in file order
 * @param lines      the line of {@code list_attr_celeba.txt} each image is on (1-based), for messages
 * @param names      the 40 attribute names of line 2
 * @param values     per image, the 40 attributes as 0 (for -1) or 1
 * @param partitions per image, 0, 1 or 2
 */
record CelebAList(List<String> files, int[] lines, List<String> names, byte[][] values, int[] partitions) {

    /** Attributes per row of {@code list_attr_celeba.txt}. */
    static final int ATTRIBUTES = 40;

    /** Reads and cross-checks {@code attrFile} and {@code partitionFile}. */
    static CelebAList read(Path attrFile, Path partitionFile) {
        List<String> attr = lines(attrFile);
        if (attr.isEmpty() || !attr.get(0).strip().matches("[0-9]{1,9}")) {
            throw new DataException(attrFile + ": line 1: '" + (attr.isEmpty() ? "" : attr.get(0).strip())
                    + "', expected the number of images");
        }
        int count = Integer.parseInt(attr.get(0).strip());
        List<String> names = attr.size() < 2 ? List.of() : tokens(attr.get(1));
        if (names.size() != ATTRIBUTES) {
            throw new DataException(attrFile + ": line 2: " + names.size() + " attribute names, expected " + ATTRIBUTES);
        }
        int rows = attr.size() - 2;
        while (rows > 0 && attr.get(rows + 1).isBlank()) {
            rows--; // a trailing empty line
        }
        if (rows != count) {
            throw new DataException(attrFile + ": line 1 says " + count + " images, the file lists " + rows);
        }
        List<String> files = new ArrayList<>(rows);
        int[] lineOf = new int[rows];
        byte[][] values = new byte[rows][];
        for (int i = 0; i < rows; i++) {
            lineOf[i] = i + 3;
            List<String> t = tokens(attr.get(i + 2));
            if (t.size() != ATTRIBUTES + 1) {
                throw new DataException(attrFile + ": line " + lineOf[i] + ": " + t.size() + " fields, expected a file name"
                        + " and " + ATTRIBUTES + " values");
            }
            files.add(t.get(0));
            values[i] = new byte[ATTRIBUTES];
            for (int a = 0; a < ATTRIBUTES; a++) {
                String v = t.get(a + 1);
                if (!v.equals("1") && !v.equals("-1")) {
                    throw new DataException(attrFile + ": line " + lineOf[i] + ": " + names.get(a) + " = '" + v
                            + "', expected 1 or -1");
                }
                values[i][a] = (byte) (v.equals("1") ? 1 : 0);
            }
        }
        return new CelebAList(files, lineOf, List.copyOf(names), values, partitions(partitionFile, files, attrFile));
    }

    /** The partition of every file in {@code files}, checking that {@code partitionFile} lists the same files in order. */
    private static int[] partitions(Path partitionFile, List<String> files, Path attrFile) {
        List<String> lines = lines(partitionFile);
        int[] partitions = new int[files.size()];
        int row = 0;
        for (int l = 0; l < lines.size(); l++) {
            List<String> t = tokens(lines.get(l));
            if (t.isEmpty()) {
                continue;
            }
            String at = partitionFile + ": line " + (l + 1) + ": ";
            if (t.size() != 2 || !t.get(1).matches("[012]")) {
                throw new DataException(at + "'" + lines.get(l).strip() + "', expected a file name and 0, 1 or 2");
            }
            if (row >= files.size() || !t.get(0).equals(files.get(row))) {
                throw new DataException(at + t.get(0) + ", but " + attrFile.getFileName() + " "
                        + (row < files.size() ? "line " + (row + 3) + " names " + files.get(row) : "has no more images"));
            }
            partitions[row++] = t.get(1).charAt(0) - '0';
        }
        if (row != files.size()) {
            throw new DataException(partitionFile + ": lists " + row + " images, " + attrFile.getFileName() + " "
                    + files.size());
        }
        return partitions;
    }

    /** The index in {@link #names} of each attribute of {@code wanted}; an absent one is an error naming {@code file}. */
    int[] columns(List<String> wanted, Path file) {
        int[] columns = new int[wanted.size()];
        for (int k = 0; k < columns.length; k++) {
            columns[k] = names.indexOf(wanted.get(k));
            if (columns[k] < 0) {
                throw new DataException(file + ": line 2 has no attribute " + wanted.get(k));
            }
        }
        return columns;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static List<String> tokens(String line) {
        String s = line.strip();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }
}
