package io.splitrank.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keys created, listed and revoked over the API; the rate limit; dashboard accounts with roles,
 * owners who may change only their own experiments, viewers who may change nothing; the audit of
 * accounts and keys; and the admin key bootstrap that never revokes a key.
 */
@PlatformTest
class AccountsAndKeysApiTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    @Autowired UserDetailsService users;
    @Autowired ApiKeyRepository keyRepository;
    @Autowired ApiKeys apiKeys;
    @Autowired SecurityAudit audit;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    private JsonNode body(org.springframework.test.web.servlet.ResultActions r) throws Exception {
        return json.readTree(r.andReturn().getResponse().getContentAsString());
    }

    private MockHttpServletRequestBuilder withKey(MockHttpServletRequestBuilder r, String key) {
        return r.header("Authorization", "Bearer " + key);
    }

    private RequestPostProcessor signedIn(String username) {
        UserDetails details = users.loadUserByUsername(username);
        return user(details);
    }

    private void createUser(String username, String role) throws Exception {
        api.post(
                        "/api/v1/users",
                        """
                        {"username": "%s", "password": "a long enough password", "role": "%s"}"""
                                .formatted(username, role))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.role").value(role))
                .andExpect(jsonPath("$.password").doesNotExist());
    }

    @Test
    void aKeyIsShownOnceListedWithoutItsSecretUsedWithinItsScopeAndRevokedAtOnce()
            throws Exception {
        JsonNode created =
                body(
                        api.post("/api/v1/keys", "{\"name\": \"feed-ranker\", \"scope\": \"sdk\"}")
                                .andExpect(status().isCreated()));
        String secret = created.get("secret").asString();
        long id = created.get("key").get("id").asLong();
        assertThat(secret).startsWith(created.get("key").get("prefix").asString());

        // it serves a recommendation service: assignment works, reading experiments does not
        mvc.perform(
                        withKey(post("/api/v1/assign"), secret)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"attributes\": {\"userId\": \"u1\"}}"))
                .andExpect(status().isOk());
        mvc.perform(withKey(get("/api/v1/experiments"), secret))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").exists());

        JsonNode listed =
                body(api.get("/api/v1/keys").andExpect(status().isOk()))
                        .valueStream()
                        .filter(k -> k.get("id").asLong() == id)
                        .findFirst()
                        .orElseThrow();
        assertThat(listed.get("scope").asString()).isEqualTo("sdk");
        assertThat(listed.has("secret")).isFalse();
        assertThat(listed.toString()).doesNotContain(secret);
        assertThat(listed.get("lastUsedAt").asString()).isNotBlank();
        assertThat(listed.get("createdBy").asString()).isEqualTo("admin");

        mvc.perform(withKey(delete("/api/v1/keys/" + id), ApiClient.ADMIN_KEY))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.revokedAt").exists())
                .andExpect(jsonPath("$.revokedBy").value("admin"));
        mvc.perform(
                        withKey(post("/api/v1/assign"), secret)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"attributes\": {\"userId\": \"u1\"}}"))
                .andExpect(status().isUnauthorized());

        api.post("/api/v1/keys", "{\"name\": \"feed-ranker\", \"scope\": \"sdk\"}")
                .andExpect(status().isConflict());
        api.post("/api/v1/keys", "{\"name\": \"\", \"scope\": \"root\", \"rateLimit\": 0}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("name"))
                .andExpect(jsonPath("$.errors[1].field").value("scope"))
                .andExpect(jsonPath("$.errors[2].field").value("rateLimit"));
        assertThat(audit.list(50))
                .extracting(SecurityAudit.Entry::action)
                .contains("create-key", "revoke-key");
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() throws Exception {
        String secret =
                body(api.post(
                                "/api/v1/keys",
                                "{\"name\": \"slow-client\", \"scope\": \"reader\","
                                        + " \"rateLimit\": 3}"))
                        .get("secret")
                        .asString();
        int refused = 0;
        for (int i = 0; i < 10; i++) {
            int code =
                    mvc.perform(withKey(get("/api/v1/whoami"), secret))
                            .andReturn()
                            .getResponse()
                            .getStatus();
            if (code == 429) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(5);
        mvc.perform(withKey(get("/api/v1/whoami"), secret))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().exists("Retry-After"))
                .andExpect(
                        header().string(
                                        "Content-Type",
                                        org.hamcrest.Matchers.startsWith(
                                                "application/problem+json")))
                .andExpect(
                        jsonPath("$.detail")
                                .value(org.hamcrest.Matchers.containsString("rate limit of 3")));
        // another key is not slowed down
        mvc.perform(withKey(get("/api/v1/whoami"), ApiClient.ADMIN_KEY)).andExpect(status().isOk());
    }

    @Test
    void anOwnerChangesOnlyTheirOwnExperimentsAndAViewerChangesNothing() throws Exception {
        createUser("alice", "owner");
        createUser("bob", "owner");
        createUser("carol", "viewer");

        mvc.perform(
                        post("/api/v1/experiments")
                                .with(signedIn("alice"))
                                .with(csrf())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(ApiClient.experiment("alices-test", "")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.owner").value("alice"));
        mvc.perform(
                        patch("/api/v1/experiments/alices-test")
                                .with(signedIn("bob"))
                                .with(csrf())
                                .contentType("application/merge-patch+json")
                                .content("{\"coverage\": 0.5}"))
                .andExpect(status().isForbidden())
                .andExpect(
                        jsonPath("$.detail")
                                .value(
                                        "experiment alices-test belongs to alice: only its owner or an admin may change it"));
        mvc.perform(
                        post("/api/v1/experiments/alices-test/start")
                                .with(signedIn("bob"))
                                .with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/experiments/alices-test/webhook-secret").with(signedIn("bob")))
                .andExpect(status().isForbidden());
        mvc.perform(
                        post("/api/v1/experiments/alices-test/start")
                                .with(signedIn("alice"))
                                .with(csrf()))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/experiments/alices-test/webhook-secret").with(signedIn("alice")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.secret").value(org.hamcrest.Matchers.startsWith("whsec_")));
        api.patch("/api/v1/experiments/alices-test", "{\"coverage\": 0.5}")
                .andExpect(status().isOk());

        // a viewer reads, and changes nothing
        mvc.perform(get("/api/v1/experiments/alices-test").with(signedIn("carol")))
                .andExpect(status().isOk());
        mvc.perform(
                        post("/api/v1/experiments")
                                .with(signedIn("carol"))
                                .with(csrf())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(ApiClient.experiment("carols-test", "")))
                .andExpect(status().isForbidden());
        mvc.perform(
                        post("/api/v1/experiments/alices-test/stop")
                                .with(signedIn("carol"))
                                .with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/users").with(signedIn("alice"))).andExpect(status().isForbidden());

        // CSRF still holds for an owner signed in through the login form
        org.springframework.mock.web.MockHttpSession session =
                (org.springframework.mock.web.MockHttpSession)
                        mvc.perform(
                                        org.springframework.security.test.web.servlet.request
                                                .SecurityMockMvcRequestBuilders.formLogin("/login")
                                                .user("alice")
                                                .password("a long enough password"))
                                .andReturn()
                                .getRequest()
                                .getSession(false);
        mvc.perform(post("/api/v1/experiments/alices-test/stop").session(session))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/experiments/alices-test/stop").session(session).with(csrf()))
                .andExpect(status().isOk());
    }

    @Test
    void adminsManageAccountsAndEveryUserChangesTheirOwnPassword() throws Exception {
        createUser("dave", "viewer");
        api.patch("/api/v1/users/dave", "{\"role\": \"owner\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.role").value("owner"));
        api.post(
                        "/api/v1/users",
                        "{\"username\": \"Dave!\", \"password\": \"short\", \"role\": \"boss\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("username"))
                .andExpect(jsonPath("$.errors[1].field").value("password"))
                .andExpect(jsonPath("$.errors[2].field").value("role"));

        mvc.perform(
                        post("/api/v1/users/me/password")
                                .with(signedIn("dave"))
                                .with(csrf())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"currentPassword\": \"wrong\", \"newPassword\": \"another long password\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("currentPassword"));
        mvc.perform(
                        post("/api/v1/users/me/password")
                                .with(signedIn("dave"))
                                .with(csrf())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"currentPassword\": \"a long enough password\","
                                                + " \"newPassword\": \"another long password\"}"))
                .andExpect(status().isNoContent());

        api.patch("/api/v1/users/dave", "{\"disabled\": true}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.disabledAt").exists());
        assertThat(users.loadUserByUsername("dave").isEnabled()).isFalse();

        assertThat(audit.list(100))
                .extracting(e -> e.action() + " " + e.subject() + " by " + e.actor())
                .contains(
                        "create-user user:dave by admin",
                        "update-user user:dave by admin",
                        "change-password user:dave by dave");
    }

    @Test
    void theAdminKeyFromTheEnvironmentIsAddedAndNeverRevokesAnotherKey() throws Exception {
        String earlier =
                body(api.post(
                                "/api/v1/keys",
                                "{\"name\": \"earlier-admin\", \"scope\": \"admin\"}"))
                        .get("secret")
                        .asString();
        AdminKeyBootstrap bootstrap =
                new AdminKeyBootstrap(
                        keyRepository,
                        apiKeys,
                        audit,
                        java.time.Clock.systemUTC(),
                        new AdminProperties("a-new-admin-key-from-the-environment", ""));
        bootstrap.run(null);
        bootstrap.run(null); // a second start with the same key adds nothing
        mvc.perform(withKey(get("/api/v1/keys"), "a-new-admin-key-from-the-environment"))
                .andExpect(status().isOk());
        mvc.perform(withKey(get("/api/v1/keys"), earlier)).andExpect(status().isOk());
        mvc.perform(withKey(get("/api/v1/keys"), ApiClient.ADMIN_KEY)).andExpect(status().isOk());
        assertThat(
                        keyRepository.findAll().stream()
                                .filter(
                                        k ->
                                                k.keyHash.equals(
                                                        ApiKeys.sha256(
                                                                "a-new-admin-key-from-the-environment")))
                                .count())
                .isEqualTo(1);
    }
}
