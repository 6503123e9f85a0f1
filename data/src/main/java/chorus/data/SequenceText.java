package chorus.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A sequence modality's rows as text: token k (below the padding token) is written as the k-th of
 * {@code 0-9a-z} (MultiMNIST's digits are themselves), and the text ends at the first padding token.
 */
public final class SequenceText {

    private static final int MAX_TOKENS = 36;

    private SequenceText() {
    }

    /** The text of one-hot row {@code row} of {@code x [N, length*vocabulary]} (the most likely token per position). */
    public static String of(Modality m, INDArray x, int row) {
        int[] shape = requireSequence(m);
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < shape[0]; t++) {
            int best = 0;
            for (int k = 1; k < shape[1]; k++) {
                if (x.getDouble(row, (long) t * shape[1] + k) > x.getDouble(row, (long) t * shape[1] + best)) {
                    best = k;
                }
            }
            if (best == m.paddingToken()) {
                break;
            }
            text.append(Character.forDigit(best, MAX_TOKENS));
        }
        return text.toString();
    }

    /** One row {@code [length*vocabulary]} of {@code text}, padded; the error says what {@code what} should hold. */
    public static float[] oneHot(Modality m, String text, String what) {
        int[] shape = requireSequence(m);
        if (text.length() > shape[0]) {
            throw new IllegalArgumentException(what + " '" + text + "': " + text.length() + " tokens, expected at most "
                    + shape[0] + " for modality '" + m.name() + "'");
        }
        float[] row = new float[shape[0] * shape[1]];
        for (int t = 0; t < shape[0]; t++) {
            int token = t < text.length() ? Character.digit(text.charAt(t), MAX_TOKENS) : m.paddingToken();
            if (token < 0 || token >= m.paddingToken() && t < text.length()) {
                throw new IllegalArgumentException(what + " '" + text + "': '" + text.charAt(t) + "' is no token of '"
                        + m.name() + "', expected one of " + tokens(m));
            }
            row[t * shape[1] + token] = 1f;
        }
        return row;
    }

    private static String tokens(Modality m) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < m.paddingToken(); k++) {
            s.append(Character.forDigit(k, MAX_TOKENS));
        }
        return s.toString();
    }

    private static int[] requireSequence(Modality m) {
        if (m.kind() != Modality.Kind.SEQUENCE) {
            throw new IllegalArgumentException("modality " + m + " is not a sequence");
        }
        if (m.shape()[1] - 1 > MAX_TOKENS) {
            throw new IllegalArgumentException("modality " + m + ": " + (m.shape()[1] - 1) + " tokens, text covers "
                    + MAX_TOKENS);
        }
        return m.shape();
    }
}
