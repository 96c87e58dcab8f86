package io.splitrank.app.database;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL's server processes, which run on this host as this user: lets background
 * work (the attribution aggregator) run its database session at a lower CPU priority than the
 * sessions that acknowledge requests. Only a backend whose parent is this server's postmaster (read
 * from its {@code postmaster.pid}) is ever touched, so a pid from elsewhere can never hit another
 * process. Exists only with the embedded database; an external server's processes are not ours.
 */
final class LocalPostgresProcesses implements SessionPriority {

    private static final Logger log = LoggerFactory.getLogger(LocalPostgresProcesses.class);

    private final Path dataDirectory;

    LocalPostgresProcesses(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /**
     * Sets the nice value of a backend of this server ({@code select pg_backend_pid()}); true when
     * done. A higher value means less CPU when the machine is busy, the same when it is idle.
     */
    @Override
    public boolean lower(int backendPid, int nice) {
        try {
            // the postmaster.pid and /proc readings crash recovery uses too
            Optional<LeftoverPostmaster.PidFile> server =
                    LeftoverPostmaster.PidFile.read(dataDirectory);
            Optional<LeftoverPostmaster.Proc> backend = LeftoverPostmaster.Proc.read(backendPid);
            if (server.isEmpty()
                    || backend.isEmpty()
                    || backend.get().ppid() != server.get().pid()) {
                log.warn(
                        "Process {} is not a backend of the embedded PostgreSQL; its priority stays",
                        backendPid);
                return false;
            }
            Process renice =
                    new ProcessBuilder(
                                    "renice",
                                    "-n",
                                    Integer.toString(nice),
                                    "-p",
                                    Integer.toString(backendPid))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!renice.waitFor(5, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                return false;
            }
            return renice.exitValue() == 0;
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not lower the priority of PostgreSQL backend {}: {}",
                    backendPid,
                    e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
