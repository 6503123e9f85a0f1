package chorus.actors.coordinator;

/**
 * Why the trainer's pipeline drains: a snapshot for the evaluator and / or a checkpoint, and whether the run ends
 * afterwards, with {@code error} (null: no error) — a failed step's, or the metrics file's.
 */
record Drain(boolean evaluate, boolean checkpoint, boolean stop, String error) {

    static final Drain NONE = new Drain(false, false, false, null);

    /** A failure: the run ends without another snapshot (the first error is the one reported). */
    Drain failed(String why) {
        return new Drain(evaluate, checkpoint, true, error != null ? error : why);
    }

    boolean snapshotDue() {
        return error == null && (evaluate || checkpoint);
    }
}
