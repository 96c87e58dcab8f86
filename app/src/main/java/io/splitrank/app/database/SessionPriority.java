package io.splitrank.app.database;

/**
 * Lowers the CPU priority of a database session, so that background work (attribution) yields to
 * the sessions that acknowledge requests when the cores are busy. Only the embedded database offers
 * it (its server processes are this host's and this user's); with an external server there is no
 * such bean, and background work runs at normal priority.
 */
public interface SessionPriority {

    /**
     * Sets the nice value of a backend of the database ({@code select pg_backend_pid()}); true when
     * done.
     *
     * @param backendPid the session's backend process id
     * @param nice the nice value, 0 to 19; higher means less CPU when the machine is busy
     */
    boolean lower(int backendPid, int nice);
}
