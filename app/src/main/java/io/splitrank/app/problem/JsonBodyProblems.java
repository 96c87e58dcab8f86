package io.splitrank.app.problem;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.util.ClassUtil;

/**
 * Every unknown property and every value of the wrong type in a request body, by JSON path ({@code
 * events[3].colour}: "unknown property", {@code arms[0].weight}: "must be a number"), in JSON terms
 * and never with a Java name. While a request body is read ({@link #open} to {@link #close}, by
 * {@link RequestBodyProblemsAdvice} and {@link ProblemDetailsAdvice}), the {@link Handler} that
 * {@link JsonBodyProblemsModule} registers on the app's JsonMapper records each such problem and
 * lets Jackson go on (skipping the property, reading null or zero for the value), so that one
 * answer names them all. Anywhere else (stored JSON, the simulator's reads) it leaves Jackson's own
 * failures alone. The list lives in the request's attributes, so it can never outlive the request.
 *
 * <p>Jackson 3.1's own problem collection ({@code ObjectReader.readValueCollectingProblems}) is not
 * reachable through Spring's message converter, which calls {@code readValue}, and its messages
 * name Java types; hence this small handler in its spirit.
 */
final class JsonBodyProblems {

    private static final String ATTRIBUTE = JsonBodyProblems.class.getName();

    private JsonBodyProblems() {}

    /** Starts recording the current request's body problems. */
    static void open() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null) {
            request.setAttribute(
                    ATTRIBUTE, new ArrayList<FieldProblem>(), RequestAttributes.SCOPE_REQUEST);
        }
    }

    /**
     * Stops recording; the problems recorded since {@link #open}, in the order Jackson met them (an
     * object's unknown properties at its end).
     */
    static List<FieldProblem> close() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            return List.of();
        }
        List<FieldProblem> problems = recording(request);
        request.removeAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        return problems == null ? List.of() : problems;
    }

    @SuppressWarnings("unchecked")
    private static List<FieldProblem> recording(RequestAttributes request) {
        return (List<FieldProblem>)
                request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    }

    /** The list to record into, or null when no request body is being read. */
    private static List<FieldProblem> recording() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        return request == null ? null : recording(request);
    }

    /**
     * The JSON path of the parser's current value ({@code events[3].colour}), or "body" at the top.
     * A container just opened has no position of its own yet and is named by where it stands.
     */
    static String path(JsonParser p) {
        TokenStreamContext context = p == null ? null : p.streamReadContext();
        if (context != null && !context.hasPathSegment()) {
            context = context.getParent();
        }
        return path(context, null);
    }

    /** The path of a context's position, then of the property inside it, if any. */
    private static String path(TokenStreamContext context, String property) {
        StringBuilder path = new StringBuilder();
        for (; context != null && !context.inRoot(); context = context.getParent()) {
            path.insert(
                    0,
                    context.inObject()
                            ? "." + context.currentName()
                            : "[" + context.getCurrentIndex() + "]");
        }
        if (property != null) {
            path.append('.').append(property);
        }
        if (path.isEmpty()) {
            return "body";
        }
        return path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    /**
     * The path of an unknown property. Jackson reads a record (any object built through its
     * constructor) to the end, or to its last constructor argument, before it hands over the
     * unknown properties it kept aside, from a parser of their own that knows nothing of where the
     * object stands: that place comes from the main parser, which is then at the object's end (its
     * context the object's container) or at a later property's name (its context the object).
     */
    static String unknownPropertyPath(DeserializationContext ctxt, JsonParser p, String name) {
        JsonParser main = ctxt.getParser();
        if (main == null || main == p) {
            return path(p);
        }
        TokenStreamContext context = main.streamReadContext();
        if (main.currentToken() != JsonToken.END_OBJECT && context != null) {
            context = context.getParent();
        }
        return path(context, name);
    }

    /** "must be a number", "must be an object", … for a value of this Java type. */
    static String mustBe(Class<?> type) {
        if (type == null) {
            return "invalid value";
        }
        Class<?> boxed = type.isPrimitive() ? ClassUtil.wrapperType(type) : type;
        if (boxed == Integer.class
                || boxed == Long.class
                || boxed == Short.class
                || boxed == Byte.class
                || boxed == java.math.BigInteger.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(boxed)) {
            return "must be a number";
        }
        if (boxed == Boolean.class) {
            return "must be true or false";
        }
        if (CharSequence.class.isAssignableFrom(type)
                || type.isEnum()
                || type == Character.class
                || type == char.class) {
            return "must be a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "must be an object";
    }

    /** Records the problems of a body being read; leaves every other read to Jackson. */
    static final class Handler extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                ValueDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName) {
            if (!record(unknownPropertyPath(ctxt, p, propertyName), "unknown property")) {
                return false;
            }
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(
                DeserializationContext ctxt,
                Class<?> targetType,
                String valueToConvert,
                String failureMsg) {
            return record(ctxt.getParser(), mustBe(targetType))
                    ? unreadable(targetType)
                    : NOT_HANDLED;
        }

        @Override
        public Object handleWeirdNumberValue(
                DeserializationContext ctxt,
                Class<?> targetType,
                Number valueToConvert,
                String failureMsg) {
            return record(ctxt.getParser(), mustBe(targetType))
                    ? unreadable(targetType)
                    : NOT_HANDLED;
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext ctxt,
                JavaType targetType,
                JsonToken t,
                JsonParser p,
                String failureMsg) {
            return skipAndRecord(p, targetType.getRawClass());
        }

        @Override
        public Object handleMissingInstantiator(
                DeserializationContext ctxt,
                Class<?> instClass,
                ValueInstantiator valueInsta,
                JsonParser p,
                String msg) {
            // a scalar, or an array, where an object was expected
            return skipAndRecord(p, instClass);
        }

        @Override
        public Object handleInstantiationProblem(
                DeserializationContext ctxt, Class<?> instClass, Object argument, Throwable t) {
            if (instClass.isPrimitive() || !record(ctxt.getParser(), "invalid value")) {
                return NOT_HANDLED;
            }
            return null;
        }

        private static Object skipAndRecord(JsonParser p, Class<?> type) {
            if (!record(p, mustBe(type))) {
                return NOT_HANDLED;
            }
            p.skipChildren();
            return unreadable(type);
        }

        /** What an unreadable value reads as: zero or false for a primitive, null otherwise. */
        private static Object unreadable(Class<?> type) {
            return type.isPrimitive() ? ClassUtil.defaultValue(type) : null;
        }

        private static boolean record(JsonParser p, String message) {
            return record(path(p), message);
        }

        /** True when recorded (or past the listing limit), false when no body is being read. */
        private static boolean record(String field, String message) {
            List<FieldProblem> problems = recording();
            if (problems == null) {
                return false;
            }
            if (problems.size() < ApiProblemException.MAX_LISTED) {
                problems.add(new FieldProblem(field, message));
            }
            return true;
        }
    }
}
