package io.splitrank.app.experiment;

/**
 * The ranking models an arm may name. Until a model registry is wired in, every well-formed model
 * id is accepted; the serving feature provides the registry-backed catalog that refuses unknown ones.
 */
public interface ModelCatalog {

    /** Whether an arm may be bound to this model. */
    boolean isKnown(String model);
}
