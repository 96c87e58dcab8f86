package io.splitrank.app.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link DataDirectoryInUseException} at startup into Spring Boot's short failure report
 * (what is wrong, what to do) instead of the stack trace of the bean that could not be created.
 * Registered in {@code META-INF/spring.factories}.
 */
class DataDirectoryInUseFailureAnalyzer
        extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
