package chorus.tools;

import chorus.data.Modality;
import chorus.data.idx.FashionMnist;
import java.util.ArrayList;
import java.util.List;

/**
 * Which modality plays the image and which the class label in the evaluation commands and sample grids:
 * the first modality of kind IMAGE and the first CATEGORICAL one (Fashion-MNIST and MNIST: {@code image}
 * and {@code label}), and the names of the label's classes.
 */
final class Roles {

    private Roles() {
    }

    /** The index of the first image modality, or -1. */
    static int image(List<Modality> modalities) {
        return first(modalities, Modality.Kind.IMAGE);
    }

    /** The index of the first categorical modality, or -1. */
    static int label(List<Modality> modalities) {
        return first(modalities, Modality.Kind.CATEGORICAL);
    }

    /** Class names of a categorical modality: Fashion-MNIST's names for its label, otherwise "0", "1", ... */
    static List<String> classNames(String dataset, Modality label) {
        int classes = label.size();
        if (dataset.equals(FashionMnist.NAME) && classes == FashionMnist.CLASS_NAMES.size()) {
            return FashionMnist.CLASS_NAMES;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(String.valueOf(c));
        }
        return names;
    }

    private static int first(List<Modality> modalities, Modality.Kind kind) {
        for (int j = 0; j < modalities.size(); j++) {
            if (modalities.get(j).kind() == kind) {
                return j;
            }
        }
        return -1;
    }
}
