package io.splitrank.app.database;

/**
 * The data directory of the embedded PostgreSQL belongs to something that is still running: another
 * Splitrank, or a PostgreSQL server that could not be stopped. Startup ends with {@link
 * #getMessage()} as its one line of explanation ({@link DataDirectoryInUseFailureAnalyzer}).
 */
public class DataDirectoryInUseException extends RuntimeException {

    private final String action;

    DataDirectoryInUseException(String message, String action) {
        super(message);
        this.action = action;
    }

    /** Another Splitrank holds the directory's lock. */
    static DataDirectoryInUseException runningSplitrank(String dataDir, long pid) {
        return new DataDirectoryInUseException(
                "data directory "
                        + dataDir
                        + " is in use by a running Splitrank"
                        + (pid > 0 ? " (pid " + pid + ")" : "")
                        + "; stop it or use --splitrank.data-dir=<another directory>",
                "Stop the Splitrank that runs on "
                        + dataDir
                        + ", or give this one another directory with --splitrank.data-dir.");
    }

    /** What to do about it, for the failure report. */
    public String action() {
        return action;
    }
}
