package io.splitrank.app;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Authenticated calls to the API in tests, with the test admin key. */
public final class ApiClient {

    public static final String ADMIN_KEY = "test-admin-key";
    private final MockMvc mvc;

    public ApiClient(MockMvc mvc) {
        this.mvc = mvc;
    }

    public ResultActions post(String path, String json) throws Exception {
        return mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json));
    }

    public ResultActions post(String path) throws Exception {
        return mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                        .header("Authorization", "Bearer " + ADMIN_KEY));
    }

    public ResultActions patch(String path, String json) throws Exception {
        return mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch(path)
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .contentType("application/merge-patch+json")
                        .content(json));
    }

    public ResultActions get(String path) throws Exception {
        return mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(path)
                        .header("Authorization", "Bearer " + ADMIN_KEY));
    }

    /** A two-arm experiment document with the given key and extra JSON members (may be empty). */
    public static String experiment(String key, String extra) {
        return """
                {"key": "%s", "arms": [
                  {"key": "control", "model": "baseline", "weight": 0.5},
                  {"key": "ektm", "model": "ektm", "weight": 0.5}]%s}"""
                .formatted(key, extra.isEmpty() ? "" : ", " + extra);
    }
}
