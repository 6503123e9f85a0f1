package chorus.tools;

import chorus.tools.run.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code chorus} command. Subcommands arrive with the features they run; there are no placeholders.
 * Started by the {@code ./chorus} script at the repository root, which builds what is stale and sets
 * the JVM flags.
 */
@Command(name = "chorus", mixinStandardHelpOptions = true, versionProvider = Provenance.Version.class,
        description = "Trains multimodal variational autoencoders as asynchronous Akka actors on ND4J.",
        subcommands = {TrainCommand.class, WorkerCommand.class, DataCommand.class, BenchCommand.class, SampleCommand.class,
                TraverseCommand.class, LoglikeCommand.class, EvaluateCommand.class, ReportCommand.class, FactorsCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new UserErrors());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // picocli passes Errors through; the caps are the user's to raise
            System.err.println(outOfMemory(e));
            return UserErrors.USER_ERROR;
        }
    }

    /** One line for a command that ran out of its planned memory, naming the limit and how to raise it. */
    static String outOfMemory(OutOfMemoryError e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "chorus: out of memory (" + root.getMessage() + "): the caps were planned from the model, batch and"
                + " data (CHORUS_MEMORY_DEBUG=1 prints the plan); use a smaller --batch-size or --limit, or raise them with"
                + " CHORUS_JAVA_OPTS=\"-Xmx4g -Dorg.bytedeco.javacpp.maxbytes=8G -Dorg.bytedeco.javacpp.maxphysicalbytes=12G\"";
    }
}
