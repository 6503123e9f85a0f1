package chorus.tools.run;

import chorus.data.config.ChorusConfig;
import chorus.data.config.SettingsException;
import com.typesafe.config.Config;
import java.util.Map;

/**
 * The config stored with a checkpoint, with the command line's {@code -D} overrides of the few keys that
 * say where things are rather than what is computed (where the data is, where the nodes run).
 */
public final class StoredConfig {

    private StoredConfig() {
    }

    /**
     * {@code stored} with {@code overrides} applied; every key must start with {@code prefix}.
     *
     * @param rule the sentence an error ends with, saying what may be overridden
     */
    public static Config override(Config stored, Map<String, String> overrides, String prefix, String rule) {
        if (overrides.isEmpty()) {
            return stored;
        }
        for (String key : overrides.keySet()) {
            if (!key.startsWith(prefix)) {
                throw new SettingsException("-D" + key + ": " + rule);
            }
        }
        Config given = ChorusConfig.load(null, overrides); // parses and checks the keys like any command line
        Config out = stored;
        for (String key : overrides.keySet()) {
            out = out.withValue(key, given.getValue(key));
        }
        return out;
    }
}
