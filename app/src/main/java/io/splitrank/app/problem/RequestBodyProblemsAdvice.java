package io.splitrank.app.problem;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Around the reading of every JSON request body: records its unknown properties and wrongly typed
 * values ({@link JsonBodyProblems}) and, when there are any, answers 400 with all of them, together
 * with the value problems of the rest of the body when a {@link RequestBodyCheck} knows its type.
 * The controller is never called with a body that had problems. A body Jackson cannot read at all
 * (malformed JSON) ends in {@link ProblemDetailsAdvice}, which adds what was recorded before.
 */
@ControllerAdvice
class RequestBodyProblemsAdvice extends RequestBodyAdviceAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyProblemsAdvice.class);

    private final ObjectProvider<RequestBodyCheck<?>> checks;

    RequestBodyProblemsAdvice(ObjectProvider<RequestBodyCheck<?>> checks) {
        this.checks = checks;
    }

    @Override
    public boolean supports(
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage inputMessage,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        JsonBodyProblems.open();
        return inputMessage;
    }

    @Override
    public Object afterBodyRead(
            Object body,
            HttpInputMessage inputMessage,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        List<FieldProblem> problems = JsonBodyProblems.close();
        if (problems.isEmpty()) {
            return body;
        }
        List<FieldProblem> all = new ArrayList<>(problems);
        if (body != null) {
            checks.orderedStream()
                    .filter(check -> check.bodyType().isInstance(body))
                    .forEach(check -> all.addAll(valueProblems(check, body, problems)));
        }
        throw ApiProblemException.badRequest(ApiProblemException.listed(all));
    }

    /** The check's problems, but those on (or around) a field that could not be read. */
    private static <T> List<FieldProblem> valueProblems(
            RequestBodyCheck<T> check, Object body, List<FieldProblem> unreadable) {
        List<FieldProblem> found = new ArrayList<>();
        try {
            check.check(check.bodyType().cast(body), found);
        } catch (RuntimeException e) {
            // the parse problems alone are still a complete answer
            log.debug("value check of a partly read {} failed", check.bodyType(), e);
        }
        return found.stream()
                .filter(p -> unreadable.stream().noneMatch(u -> related(p.field(), u.field())))
                .toList();
    }

    /** The same field, or one inside the other ({@code arms} and {@code arms[0].weight}). */
    static boolean related(String a, String b) {
        return a.equals(b) || inside(a, b) || inside(b, a) || a.equals("body") || b.equals("body");
    }

    private static boolean inside(String inner, String outer) {
        return inner.length() > outer.length()
                && inner.startsWith(outer)
                && (inner.charAt(outer.length()) == '.' || inner.charAt(outer.length()) == '[');
    }
}
