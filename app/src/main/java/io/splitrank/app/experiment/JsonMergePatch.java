package io.splitrank.app.experiment;

import io.splitrank.app.problem.ApiProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** JSON merge patch (RFC 7396): objects merge recursively, null removes, anything else replaces. */
final class JsonMergePatch {

    private JsonMergePatch() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> result = new LinkedHashMap<>(target);
        patch.forEach(
                (name, value) -> {
                    if (value == null) {
                        result.remove(name);
                    } else if (value instanceof Map<?, ?> patchObject
                            && result.get(name) instanceof Map<?, ?> targetObject
                            && !"condition".equals(name)) {
                        result.put(
                                name,
                                apply(
                                        (Map<String, Object>) targetObject,
                                        (Map<String, Object>) patchObject));
                    } else {
                        result.put(name, value);
                    }
                });
        return result;
    }

    static ExperimentDocument toDocument(JsonMapper json, Map<String, Object> merged) {
        try {
            return json.convertValue(merged, ExperimentDocument.class);
        } catch (JacksonException e) {
            String field = e.getPath().isEmpty() ? "body" : e.getPath().get(0).getPropertyName();
            throw ApiProblemException.badRequest(
                    field == null ? "body" : field, "wrong type or unknown field");
        }
    }
}
