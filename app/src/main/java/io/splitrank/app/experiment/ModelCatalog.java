package io.splitrank.app.experiment;

import java.util.Set;

/**
 * The ranking models an arm may name: those loaded for serving (the serving package's registry).
 */
public interface ModelCatalog {

    /** Whether an arm may be bound to this model. */
    boolean isKnown(String model);

    /** Every model an arm may name, for error messages. */
    Set<String> loadedKeys();
}
