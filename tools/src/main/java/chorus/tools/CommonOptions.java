package chorus.tools;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command takes: config overrides and {@code --debug}. Mixed into each command. */
public final class CommonOptions {

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override a config key, e.g. -Dchorus.data.batch-size=64 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--debug", description = "Print stack traces with errors.")
    boolean debug;

    /** The overrides as given, in order. */
    public Map<String, String> overrides() {
        return Map.copyOf(overrides);
    }

    /** A command that carries these options (picocli reads the mixin from this superclass). */
    abstract static class Holder {
        @Mixin
        CommonOptions common;

        /** This command's common options. */
        CommonOptions common() {
            return common;
        }
    }
}
