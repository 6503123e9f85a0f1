package chorus.tools.console;

/** JVM shutdown hooks for Ctrl-C: added while a command runs, removed when it ends by itself. */
public final class ShutdownHooks {

    private ShutdownHooks() {
    }

    /** Runs {@code action} on Ctrl-C (or any JVM exit) until {@link #remove} is called. */
    public static Thread add(String name, Runnable action) {
        Thread hook = new Thread(action, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook once the command ended by itself. */
    public static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C): the hook is running
        }
    }
}
