package chorus.tools;

import java.util.LinkedHashMap;
import java.util.Map;
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

    /** A command that carries these options. */
    interface Holder {
        CommonOptions common();
    }
}
