package io.splitrank.app.experiment;

/** Published inside the transaction that changed an experiment; caches refresh after it commits. */
public record ExperimentsChanged(String experimentKey) {}
