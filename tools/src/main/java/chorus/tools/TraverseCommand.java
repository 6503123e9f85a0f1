package chorus.tools;

import chorus.data.Modality;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.samples.LatentTraversal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chorus traverse}: latent traversals of a checkpoint's model ({@link LatentTraversal}). One row per
 * chosen latent unit d, z_d swept over base_d + t for t evenly spaced in [-range, +range] (prior standard
 * deviations) with every other unit at the base, each z decoded to the image's mean; the base is the prior
 * mean or the mean of q(z | condition). With a label modality, the class decoded at each step is printed
 * per row and captioned, which shows the units that carry class information. {@code --dims top:N} picks
 * the N most active units by Burda et al.'s activity, Var_x(E_q[z_d | x]) over the first test rows.
 * With private latents the units are those of the joint latent: the shared ones, then each modality's
 * private ones (a modality decodes only the shared units and its own). The concatenated VAE traverses around
 * the prior mean only. Every argument is checked before anything is written.
 */
@Command(name = "traverse", mixinStandardHelpOptions = true,
        description = {"Write a PNG grid of latent traversals of a checkpoint's model: one row per latent unit d, z_d swept"
                + " evenly from base_d - range to base_d + range (in prior standard deviations) while the other units stay"
                + " at the base, each z decoded to the image's mean (not a sample).",
                "The base is the prior mean z = 0, or with --condition the mean of q(z | condition). When the model has a"
                        + " label, the class decoded at each step is printed per row and written under each image.",
                "--dims top:N takes the N most active units (Burda et al. 2016, 'active units'): the activity of unit d"
                        + " is the variance over the first --limit test rows x of E_q[z_d | x], the posterior mean given"
                        + " everything the row observes; a unit with activity > 0.01 is active.",
                "Only chorus.data.* may be overridden with -D."})
final class TraverseCommand extends CommonOptions.Holder implements Callable<Integer> {

    /** Test rows per forward pass when measuring activity. */
    private static final int BATCH = 100;

    @Parameters(paramLabel = "CHECKPOINT", description = "A checkpoint file written by chorus train.")
    Path checkpoint;

    @Option(names = "--condition", paramLabel = "MODALITY=VALUE",
            description = "Traverse around the mean of q(z | a class or an image file), e.g. label=5, label=Sneaker,"
                    + " image=picture.png. Default: around the prior mean z = 0.")
    String condition;

    @Option(names = "--dims", defaultValue = "all", paramLabel = "0,1,2|all|top:N",
            description = "The latent units to traverse, one row each: a comma-separated list, all, or top:N for the N"
                    + " most active (default: ${DEFAULT-VALUE}).")
    String dims;

    @Option(names = "--steps", defaultValue = "9", description = "Images per row, at least 2 (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--range", defaultValue = "3.0",
            description = "Sweep from -range to +range prior standard deviations around the base (default: ${DEFAULT-VALUE}).")
    double range;

    @Option(names = "--limit", defaultValue = "1000",
            description = "Test rows over which --dims top:N measures activity (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (steps < 2) {
            throw new IllegalArgumentException("--steps " + steps + ": expected at least 2 images per row");
        }
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("--range " + range + ": expected a finite number of prior standard deviations > 0");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("--limit " + limit + ": expected at least 1 test row");
        }
        Units units = Units.parse(dims);
        ImageGrid.checkWritable("--out", out);
        OpenedCheckpoint run = OpenedCheckpoint.open(checkpoint, common.overrides());
        MultimodalVae model = run.model();
        int image = run.imageToDraw();
        Condition given = run.condition(condition);
        int latent = model.jointLatent(); // with private latents: the shared units, then each modality's private ones
        units.check(latent);
        INDArray means = units.top() > 0                                                      // [N, D]
                ? LatentTraversal.posteriorMeans(model, run.rule(), run.test(), limit, BATCH, run.input()) : null;
        double[] activity = means == null ? null : LatentTraversal.activity(means);
        int[] chosen = activity != null ? LatentTraversal.mostActive(activity, units.top()) : units.resolve(latent);
        INDArray base = given == null ? Nd4j.zeros(model.encoders().get(0).dataType(), 1, latent)
                : given.posterior(model, run.rule(), 1).mean();                                // [1, D]
        INDArray z = LatentTraversal.latents(base, chosen, steps, range);                     // [units*steps, D]
        List<Modality> data = run.test().modalities();
        List<INDArray> decoded = SampleGrids.decodeAll(model, data, z);
        int label = Roles.label(data);
        List<String> classes = label < 0 ? null : SampleGrids.classes(decoded.get(label),
                Roles.classNames(run.test().name(), data.get(label)));
        SampleGrids.draw(data.get(image), decoded.get(image), steps, classes, out);

        System.out.printf("traverse: %s%n", run.describe());
        if (model.privateLatent() > 0) {
            StringBuilder blocks = new StringBuilder("units: 0.." + (model.sharedLatent() - 1) + " shared");
            for (int j = 0; j < data.size(); j++) {
                int from = model.sharedLatent() + j * model.privateLatent();
                blocks.append(", ").append(from).append("..").append(from + model.privateLatent() - 1).append(" private to ")
                        .append(data.get(j).name());
            }
            System.out.println(blocks);
        }
        System.out.printf("base: %s%n", given == null ? "the prior mean z = 0" : "the mean of q(z | " + given.description() + ")");
        System.out.printf("sweep: z_d = base_d + t, t = %s (prior standard deviations)%n",
                Arrays.stream(LatentTraversal.offsets(steps, range)).mapToObj(t -> String.format("%.2f", t))
                        .collect(Collectors.joining(" ")));
        if (activity != null) {
            long active = Arrays.stream(activity).filter(a -> a > LatentTraversal.ACTIVE).count();
            System.out.printf("activity: variance of E_q[z_d | x] over %d test rows (Burda et al. 2016); %d of %d units"
                    + " above %.2f%n", means.size(0), active, latent, LatentTraversal.ACTIVE);
        }
        printRows(chosen, activity, classes, label < 0 ? null : data.get(label).name());
        System.out.printf("wrote %s: %d units x %d steps%n", out, chosen.length, steps);
        return 0;
    }

    /** One line per row: the unit, its activity (for top:N) and the class decoded at each step (with a label). */
    private void printRows(int[] chosen, double[] activity, List<String> classes, String labelName) {
        int width = classes == null ? 0 : classes.stream().mapToInt(String::length).max().orElse(0) + 1;
        System.out.printf("%-6s%s%s%n", "unit", activity == null ? "" : String.format("%-10s", "activity"),
                classes == null ? "" : labelName + " at each step");
        for (int r = 0; r < chosen.length; r++) {
            StringBuilder line = new StringBuilder(String.format("%-6d", chosen[r]));
            if (activity != null) {
                line.append(String.format("%-10.4f", activity[chosen[r]]));
            }
            for (int i = 0; classes != null && i < steps; i++) {
                line.append(String.format("%-" + width + "s", classes.get(r * steps + i)));
            }
            System.out.println(line.toString().stripTrailing());
        }
    }

    /**
     * The {@code --dims} value: listed units, every unit ({@code all}) or the {@code top} N most active.
     * Parsed before the checkpoint is read; checked against the latent size after.
     */
    private record Units(String spec, int[] listed, int top) {

        static Units parse(String spec) {
            String s = spec.strip();
            if (s.equals("all")) {
                return new Units(s, null, 0);
            }
            if (s.startsWith("top:")) {
                String n = s.substring(4).strip();
                if (!n.matches("\\d{1,9}") || Integer.parseInt(n) < 1) {
                    throw new IllegalArgumentException("--dims " + spec + ": expected top:N with N >= 1");
                }
                return new Units(s, null, Integer.parseInt(n));
            }
            if (!s.matches("\\d{1,9}(\\s*,\\s*\\d{1,9})*")) {
                throw new IllegalArgumentException("--dims " + spec + ": expected latent units like 0,1,2, or all, or top:N");
            }
            int[] listed = Arrays.stream(s.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
            if (Arrays.stream(listed).distinct().count() < listed.length) {
                throw new IllegalArgumentException("--dims " + spec + ": a unit is listed twice");
            }
            return new Units(s, listed, 0);
        }

        /** An error naming the latent size when N or a listed unit is beyond it. */
        void check(int latent) {
            if (top > latent) {
                throw new IllegalArgumentException("--dims " + spec + ": the model's latent has " + latent
                        + " units, expected top:1.." + latent);
            }
            for (int u : listed == null ? new int[0] : listed) {
                if (u >= latent) {
                    throw new IllegalArgumentException("--dims " + spec + ": unit " + u + " is out of range, the model's"
                            + " latent has " + latent + " units (0.." + (latent - 1) + ")");
                }
            }
        }

        /** The units of a list or of {@code all}, in order. */
        int[] resolve(int latent) {
            return listed != null ? listed : IntStream.range(0, latent).toArray();
        }
    }
}
