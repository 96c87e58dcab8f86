package io.splitrank.app.security;

import static io.splitrank.app.ApiClient.experiment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import jakarta.servlet.http.Cookie;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The dashboard signs in with a form; its session may call the API, with a CSRF token for changes.
 */
@PlatformTest
class DashboardSessionSecurityTest {

    @Autowired MockMvc mvc;

    @Test
    void dashboardPagesRedirectToTheLoginPageWhileItsAssetsArePublic() throws Exception {
        mvc.perform(get("/")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/experiments/some-key"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/login"));
        mvc.perform(get("/login")).andExpect(status().isOk());
        mvc.perform(get("/css/app.css")).andExpect(status().isOk());
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
    }

    @Test
    void wrongPasswordIsSentBackToTheLoginPage() throws Exception {
        Cookie xsrf = xsrfCookie();
        mvc.perform(
                        post("/login")
                                .cookie(xsrf)
                                .param("_csrf", xsrf.getValue())
                                .param("username", "admin")
                                .param("password", "wrong"))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void loginWithoutTheCsrfTokenIsRefused() throws Exception {
        mvc.perform(
                        post("/login")
                                .param("username", "admin")
                                .param("password", "test-admin-password"))
                .andExpect(status().isForbidden());
    }

    @Test
    void signedInSessionReadsAndChangesExperimentsWithTheCsrfHeaderOnly() throws Exception {
        Cookie xsrf = xsrfCookie();
        MvcResult login =
                mvc.perform(
                                post("/login")
                                        .cookie(xsrf)
                                        .param("_csrf", xsrf.getValue())
                                        .param("username", "admin")
                                        .param("password", "test-admin-password"))
                        .andExpect(status().isFound())
                        .andExpect(redirectedUrl("/"))
                        .andReturn();
        MockHttpSession session = (MockHttpSession) login.getRequest().getSession(false);
        // the token is renewed at sign-in: the old cookie is cleared, then the new one set (a
        // browser keeps the last)
        Cookie renewed =
                Arrays.stream(login.getResponse().getCookies())
                        .filter(c -> c.getName().equals("XSRF-TOKEN"))
                        .reduce((first, second) -> second)
                        .orElseThrow();
        assertThat(renewed.getValue()).isNotEmpty().isNotEqualTo(xsrf.getValue());

        mvc.perform(get("/").session(session)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/experiments").session(session)).andExpect(status().isOk());

        mvc.perform(
                        post("/api/v1/experiments")
                                .session(session)
                                .cookie(renewed)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(experiment("session-no-csrf", "")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(
                        post("/api/v1/experiments")
                                .session(session)
                                .cookie(renewed)
                                .header("X-XSRF-TOKEN", renewed.getValue())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(experiment("session-csrf", "")))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/v1/experiments/session-csrf/audit").session(session))
                .andExpect(jsonPath("$[0].actor").value("admin"));

        mvc.perform(
                        post("/logout")
                                .session(session)
                                .cookie(renewed)
                                .param("_csrf", renewed.getValue()))
                .andExpect(redirectedUrl("/login?logout"));
        mvc.perform(get("/api/v1/experiments").session(session))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void bearerKeyCallsStayStatelessAndNeedNoCsrfToken() throws Exception {
        MvcResult result =
                mvc.perform(
                                post("/api/v1/experiments")
                                        .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY)
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .content(experiment("bearer-no-csrf", "")))
                        .andExpect(status().isCreated())
                        .andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
        assertThat(result.getResponse().getCookie("XSRF-TOKEN")).isNull();
    }

    @Test
    void unauthenticatedApiCallsAreA401ProblemEvenWhenTheyChangeSomething() throws Exception {
        mvc.perform(
                        post("/api/v1/experiments")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(experiment("anonymous", "")))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(401));
    }

    private Cookie xsrfCookie() throws Exception {
        Cookie cookie =
                mvc.perform(get("/login")).andReturn().getResponse().getCookie("XSRF-TOKEN");
        assertThat(cookie).isNotNull();
        return cookie;
    }
}
