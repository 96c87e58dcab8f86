package io.splitrank.app.experiment;

import java.time.Instant;

/**
 * One change to an experiment, as the audit API answers it; before/after are experiment views. An
 * automatic action (a ramp step, a rollback) says why and carries the numbers it was taken on.
 */
record AuditEntry(
        long id,
        String actor,
        String action,
        Instant at,
        Object before,
        Object after,
        String reason,
        Object evidence) {}
