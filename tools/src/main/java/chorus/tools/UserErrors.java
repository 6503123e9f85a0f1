package chorus.tools;

import chorus.actors.cluster.ClusterException;
import chorus.data.DataException;
import chorus.data.config.SettingsException;
import chorus.tools.run.CheckpointException;
import chorus.tools.run.RunDirectoryException;
import java.io.PrintWriter;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns an error the user can act on (a bad config value, a missing or corrupt file, a wrong argument)
 * into one line on stderr and exit code 2; anything else is a bug and keeps its stack trace. With
 * {@code --debug} every error prints its stack trace.
 */
final class UserErrors implements IExecutionExceptionHandler {

    /** Exit code of a run stopped by an error the user can fix. */
    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean debug = parsed.asCommandLineList().stream().anyMatch(UserErrors::debugRequested);
        if (isUserError(e)) {
            err.println("chorus: " + e.getMessage());
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return USER_ERROR;
        }
        err.println("chorus: internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }

    static boolean isUserError(Throwable e) {
        return e instanceof SettingsException || e instanceof IllegalArgumentException
                || e instanceof java.io.FileNotFoundException || e instanceof java.nio.file.NoSuchFileException
                || e instanceof DataException || e instanceof CheckpointException || e instanceof RunDirectoryException
                || e instanceof ClusterException;
    }

    private static boolean debugRequested(CommandLine c) {
        return c.getCommand() instanceof CommonOptions.Holder h && h.common().debug;
    }
}
