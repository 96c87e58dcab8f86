package io.splitrank.app.security;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@PlatformTest
class ActuatorSecurityTest {

    @Autowired MockMvc mvc;

    @Test
    void healthIsOpenButMetricsNeedAKey() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
        mvc.perform(get("/actuator/metrics")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
        mvc.perform(
                        get("/actuator/metrics")
                                .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY))
                .andExpect(status().isOk());
    }
}
