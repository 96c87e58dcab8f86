package io.splitrank.app.experiment;

import java.time.Instant;

/** One change to an experiment, as the audit API answers it; before/after are experiment views. */
record AuditEntry(long id, String actor, String action, Instant at, Object before, Object after) {}
