package chorus.tools;

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
        return cli.execute(args);
    }
}
