package chorus.tools.plots;

import chorus.data.Modality;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image modalities of a batch side by side, for {@code data show} of a dataset with several of them
 * (PolyMNIST's backgrounds, MNIST-SVHN, vision transforms): one grid row per example, one column per image
 * modality, every image put on a common RGB canvas (the largest height and width, grey images repeated over
 * the three channels, smaller images centred on black) so one {@link ImageGrid} draws them all.
 */
public final class ModalityRows {

    /** The canvas images {@code [rows * K, 3 * H * W]}, example after example, and the canvas size. */
    public record Canvas(INDArray images, int height, int width, int columns) {
    }

    private ModalityRows() {
    }

    /** The indices of {@code modalities} that are images. */
    public static List<Integer> imageModalities(List<Modality> modalities) {
        List<Integer> images = new ArrayList<>();
        for (int i = 0; i < modalities.size(); i++) {
            if (modalities.get(i).kind() == Modality.Kind.IMAGE) {
                images.add(i);
            }
        }
        return images;
    }

    /** The first {@code rows} examples of {@code tensors} ({@code [B, C*H*W]} per modality) on one canvas. */
    public static Canvas of(List<Modality> modalities, List<INDArray> tensors, List<Integer> images, int rows) {
        int height = images.stream().mapToInt(i -> modalities.get(i).shape()[1]).max().orElseThrow();
        int width = images.stream().mapToInt(i -> modalities.get(i).shape()[2]).max().orElseThrow();
        int plane = height * width;
        float[] out = new float[rows * images.size() * 3 * plane];
        for (int k = 0; k < images.size(); k++) {
            int[] shape = modalities.get(images.get(k)).shape();
            int c = shape[0];
            int h = shape[1];
            int w = shape[2];
            int top = (height - h) / 2;
            int left = (width - w) / 2;
            float[] values = tensors.get(images.get(k)).castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int r = 0; r < rows; r++) {
                int cell = (r * images.size() + k) * 3 * plane;
                for (int ch = 0; ch < 3; ch++) {
                    int from = Math.min(ch, c - 1); // grey: the one channel three times
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            out[cell + ch * plane + (top + y) * width + left + x] = values[r * c * h * w + from * h * w + y * w + x];
                        }
                    }
                }
            }
        }
        return new Canvas(Nd4j.create(out, new long[] {(long) rows * images.size(), 3L * plane}, DataType.FLOAT),
                height, width, images.size());
    }
}
