package io.splitrank.app.security;

import io.splitrank.app.problem.ApiProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code /api/**} call needs an API key or a signed-in dashboard session, whose rights come
 * from the key's scope or the account's role ({@link Authorities}): the SDK calls (assign, rank,
 * events, exposures, SDK configuration) need SDK; GrowthBook's SDK payload and stream ({@code GET
 * /api/features/{clientKey}}, {@code GET /sub/{clientKey}}) need SDK too, from the key in their
 * path, which is their only credential; analysis needs ANALYST; reads need READER; creating
 * experiments and changing one's own need OWNER (the experiment service checks the ownership);
 * accounts, keys and everything else need ADMIN. The dashboard's pages need a sign-in (form login
 * at {@code /login}); health, the OpenAPI description and the dashboard's styles and scripts are
 * public; the other actuator endpoints (metrics, Prometheus) need READER or ADMIN.
 *
 * <p>CSRF: requests authenticated by the session cookie must echo the {@code XSRF-TOKEN} cookie in
 * the {@code X-XSRF-TOKEN} header (the dashboard's scripts do) or the {@code _csrf} form field (the
 * login and logout forms do). Requests carrying a bearer key stay stateless and CSRF-free: a
 * browser never attaches an {@code Authorization} header to a forged cross-site request.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** One cookie for both chains: the token the pages receive is the one the API checks. */
    private static final CookieCsrfTokenRepository CSRF_COOKIE =
            CookieCsrfTokenRepository.withHttpOnlyFalse();

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(
            HttpSecurity http, ApiKeys keys, JsonMapper json, ApiProperties api) throws Exception {
        ProblemAuthenticationEntryPoint problems = new ProblemAuthenticationEntryPoint(json);
        http.securityMatcher("/api/**", "/actuator/**", "/sub/**")
                // plain (unmasked) tokens: the scripts send the cookie's value as it is
                .csrf(
                        csrf ->
                                csrf.csrfTokenRepository(CSRF_COOKIE)
                                        .csrfTokenRequestHandler(
                                                new CsrfTokenRequestAttributeHandler())
                                        .ignoringRequestMatchers(
                                                SecurityConfiguration::notAuthenticatedBySession))
                // reads the dashboard's session when there is one, never creates one
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(cache -> cache.disable())
                .addFilterBefore(
                        new ApiKeyAuthenticationFilter(keys, problems, api.rateLimit()),
                        AnonymousAuthenticationFilter.class)
                .exceptionHandling(
                        e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(
                        auth ->
                                auth
                                        // probes stay open; metrics need a key (Prometheus sends it
                                        // as a bearer token)
                                        .requestMatchers(
                                                "/actuator/health",
                                                "/actuator/health/**",
                                                "/actuator/info")
                                        .permitAll()
                                        .requestMatchers(HttpMethod.GET, "/actuator/**")
                                        .hasAnyRole("ADMIN", "READER")
                                        // what a recommendation service needs
                                        .requestMatchers(
                                                HttpMethod.POST,
                                                "/api/v1/assign",
                                                "/api/v1/assign/batch",
                                                "/api/v1/events",
                                                "/api/v1/exposures",
                                                "/api/v1/rank")
                                        .hasAnyRole("ADMIN", "SDK")
                                        .requestMatchers(HttpMethod.GET, "/api/v1/sdk-config")
                                        .hasAnyRole("ADMIN", "SDK", "READER")
                                        // GrowthBook's SDK payload and stream, by the client key
                                        // in the path: what an sdk key may read, not a reader's
                                        .requestMatchers(
                                                HttpMethod.GET, "/api/features/*", "/sub/*")
                                        .hasAnyRole("ADMIN", "SDK")
                                        .requestMatchers(
                                                HttpMethod.POST,
                                                "/api/v1/analysis",
                                                "/api/v1/analysis/power")
                                        .hasAnyRole("ADMIN", "ANALYST")
                                        .requestMatchers("/api/v1/whoami", "/api/v1/users/me/**")
                                        .authenticated()
                                        .requestMatchers(
                                                "/api/v1/keys/**",
                                                "/api/v1/keys",
                                                "/api/v1/users/**",
                                                "/api/v1/users",
                                                "/api/v1/audit",
                                                "/api/v1/admin/**")
                                        .hasRole("ADMIN")
                                        .requestMatchers(
                                                HttpMethod.GET,
                                                "/api/v1/experiments/*/webhook-secret")
                                        .hasAnyRole("ADMIN", "OWNER")
                                        .requestMatchers(HttpMethod.GET, "/api/**")
                                        .hasAnyRole("ADMIN", "READER")
                                        // the experiment service checks that the caller owns
                                        // the experiment
                                        .requestMatchers(HttpMethod.POST, "/api/v1/experiments")
                                        .hasAnyRole("ADMIN", "OWNER")
                                        .requestMatchers(HttpMethod.PATCH, "/api/v1/experiments/*")
                                        .hasAnyRole("ADMIN", "OWNER")
                                        .requestMatchers(
                                                HttpMethod.POST,
                                                "/api/v1/experiments/*/start",
                                                "/api/v1/experiments/*/stop",
                                                "/api/v1/experiments/*/archive",
                                                "/api/v1/experiments/*/ramp/advance",
                                                "/api/v1/experiments/*/webhook-secret/rotate",
                                                "/api/v1/experiments/*/reports")
                                        .hasAnyRole("ADMIN", "OWNER")
                                        .anyRequest()
                                        .hasRole("ADMIN"));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain dashboardSecurity(HttpSecurity http) throws Exception {
        CsrfTokenRequestAttributeHandler eager = new CsrfTokenRequestAttributeHandler();
        // load the token on every request so that the XSRF-TOKEN cookie is set before a script
        // needs it
        eager.setCsrfRequestAttributeName(null);
        http.csrf(csrf -> csrf.csrfTokenRepository(CSRF_COOKIE).csrfTokenRequestHandler(eager))
                .authorizeHttpRequests(
                        auth ->
                                auth.requestMatchers(
                                                "/login",
                                                "/login.html",
                                                "/css/**",
                                                "/js/**",
                                                "/img/**",
                                                "/favicon.svg",
                                                "/favicon.ico",
                                                "/error")
                                        .permitAll()
                                        .requestMatchers(
                                                "/v3/api-docs/**",
                                                "/swagger-ui/**",
                                                "/swagger-ui.html")
                                        .permitAll()
                                        .anyRequest()
                                        .authenticated())
                .formLogin(form -> form.loginPage("/login").failureUrl("/login?error").permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"));
        return http.build();
    }

    /**
     * A bearer key authenticates the request, or there is no session a forged request could ride
     * on.
     */
    private static boolean notAuthenticatedBySession(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        boolean bearer = header != null && header.toLowerCase(Locale.ROOT).startsWith("bearer ");
        return bearer || request.getSession(false) == null;
    }
}
