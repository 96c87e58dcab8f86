package io.splitrank.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of the API, enumerated from the application's own request mappings (so a new
 * endpoint cannot be forgotten), refuses a request without a key and with a revoked key (401
 * problem+json), and a key whose scope does not allow it (403 problem+json). The allowed scopes are
 * written here from the definition, independently of the security configuration: {@code
 * sdk} may assign, rank, send events and exposures, and read the SDK configuration and GrowthBook's
 * SDK payload (whose key is in its path); {@code reader} may read everything else; {@code writer}
 * is sdk plus analysis plus reads.
 */
@PlatformTest
class AccessPolicyTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    private String newKey(String name, String scope) throws Exception {
        String body =
                api.post(
                                "/api/v1/keys",
                                "{\"name\": \"%s\", \"scope\": \"%s\"}".formatted(name, scope))
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        return json.readTree(body).get("secret").asString();
    }

    /** The SDK calls a recommendation service makes. */
    private static final Set<String> SDK =
            Set.of(
                    "POST /api/v1/assign",
                    "POST /api/v1/assign/batch",
                    "POST /api/v1/events",
                    "POST /api/v1/exposures",
                    "POST /api/v1/rank",
                    "GET /api/v1/sdk-config",
                    "GET /api/features/{clientKey}");

    /**
     * GrowthBook's SDK payload: an SDK call, authenticated by the client key in its path (the SDKs
     * send no header); not a read for readers.
     */
    private static final Set<String> BY_CLIENT_KEY = Set.of("GET /api/features/{clientKey}");

    private static final Set<String> ANALYSIS =
            Set.of("POST /api/v1/analysis", "POST /api/v1/analysis/power");

    /** Reads that are still not for readers: secrets and the administration of access. */
    private static final Set<String> PRIVATE_READS =
            Set.of(
                    "GET /api/v1/keys",
                    "GET /api/v1/users",
                    "GET /api/v1/audit",
                    "GET /api/v1/experiments/{key}/webhook-secret");

    private static boolean allowed(String scope, String method, String pattern) {
        String call = method + " " + pattern;
        if (call.equals("GET /api/v1/whoami")) {
            return true;
        }
        boolean read =
                method.equals("GET")
                        && !PRIVATE_READS.contains(call)
                        && !BY_CLIENT_KEY.contains(call);
        return switch (scope) {
            case "sdk" -> SDK.contains(call);
            case "reader" -> read;
            case "writer" -> SDK.contains(call) || ANALYSIS.contains(call) || read;
            default -> throw new IllegalArgumentException(scope);
        };
    }

    private record Endpoint(String method, String pattern) {}

    private List<Endpoint> endpoints() {
        List<Endpoint> list = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) {
                    continue;
                }
                for (var method : info.getMethodsCondition().getMethods()) {
                    list.add(new Endpoint(method.name(), pattern));
                }
            }
        }
        return list;
    }

    private MockHttpServletResponse call(Endpoint e, String key) throws Exception {
        String pattern = e.pattern();
        if (BY_CLIENT_KEY.contains(e.method() + " " + pattern)) {
            // the key goes in the path, as the SDKs send it ("1" when there is none)
            pattern = pattern.replace("{clientKey}", key == null ? "1" : key);
            key = null;
        }
        String path = pattern.replaceAll("\\{[^}]+}", "1");
        MockHttpServletRequestBuilder r = request(HttpMethod.valueOf(e.method()), path);
        if (!e.method().equals("GET") && !e.method().equals("DELETE")) {
            r.contentType(
                            e.method().equals("PATCH")
                                    ? MediaType.valueOf("application/merge-patch+json")
                                    : MediaType.APPLICATION_JSON)
                    .content("{}");
        }
        if (key != null) {
            r.header("Authorization", "Bearer " + key);
        }
        return mvc.perform(r).andReturn().getResponse();
    }

    @Test
    void everyEndpointRefusesNoKeyARevokedKeyAndAKeyOfTheWrongScope() throws Exception {
        Map<String, String> keys =
                Map.of(
                        "sdk", newKey("policy-sdk", "sdk"),
                        "reader", newKey("policy-reader", "reader"),
                        "writer", newKey("policy-writer", "writer"));
        String revoked = newKey("policy-revoked", "admin");
        long revokedId =
                json.readTree(
                                api.get("/api/v1/keys")
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString())
                        .valueStream()
                        .filter(k -> k.get("name").asString().equals("policy-revoked"))
                        .findFirst()
                        .orElseThrow()
                        .get("id")
                        .asLong();
        mvc.perform(
                        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                                        "/api/v1/keys/" + revokedId)
                                .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY))
                .andReturn();

        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).hasSizeGreaterThan(30);
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints) {
            String name = e.method() + " " + e.pattern();
            MockHttpServletResponse none = call(e, null);
            if (none.getStatus() != 401 || !isProblem(none)) {
                failures.add(name + " without a key: " + none.getStatus());
            }
            MockHttpServletResponse gone = call(e, revoked);
            if (gone.getStatus() != 401 || !isProblem(gone)) {
                failures.add(name + " with a revoked key: " + gone.getStatus());
            }
            for (Map.Entry<String, String> k : keys.entrySet()) {
                if (e.pattern().endsWith("/stream")) {
                    continue; // an allowed stream never ends; its refusals are checked above
                }
                MockHttpServletResponse r = call(e, k.getValue());
                boolean allowed = allowed(k.getKey(), e.method(), e.pattern());
                if (name.equals("POST /api/v1/users/me/password")) {
                    allowed = false; // a key has no password: refused by the endpoint
                }
                if (allowed && (r.getStatus() == 401 || r.getStatus() == 403)) {
                    failures.add(name + " refused the " + k.getKey() + " key: " + r.getStatus());
                }
                if (!allowed && (r.getStatus() != 403 || !isProblem(r))) {
                    failures.add(
                            name
                                    + " with the "
                                    + k.getKey()
                                    + " key: "
                                    + r.getStatus()
                                    + ", not 403");
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static boolean isProblem(MockHttpServletResponse r) {
        return r.getContentType() != null
                && r.getContentType().startsWith("application/problem+json");
    }
}
