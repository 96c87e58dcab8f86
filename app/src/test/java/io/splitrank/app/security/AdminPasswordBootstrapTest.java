package io.splitrank.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class AdminPasswordBootstrapTest {

    // the lowest BCrypt cost keeps the test fast; the application uses the default (10)
    final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);
    final DashboardUserRepository repository = mock(DashboardUserRepository.class);
    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void configuredPasswordCreatesTheAdminWithABcryptHash() {
        when(repository.findByUsername("admin")).thenReturn(Optional.empty());
        new AdminPasswordBootstrap(repository, encoder, clock, password("s3cret")).run(null);
        DashboardUserEntity saved = saved();
        assertThat(saved.username).isEqualTo("admin");
        assertThat(saved.role).isEqualTo("admin");
        assertThat(saved.passwordHash).startsWith("$2a$").doesNotContain("s3cret");
        assertThat(encoder.matches("s3cret", saved.passwordHash)).isTrue();
    }

    @Test
    void changedConfiguredPasswordReplacesThePreviousOne() {
        DashboardUserEntity admin = admin(encoder.encode("old"));
        when(repository.findByUsername("admin")).thenReturn(Optional.of(admin));
        new AdminPasswordBootstrap(repository, encoder, clock, password("new")).run(null);
        assertThat(encoder.matches("new", saved().passwordHash)).isTrue();
    }

    @Test
    void unchangedConfiguredPasswordWritesNothing() {
        when(repository.findByUsername("admin"))
                .thenReturn(Optional.of(admin(encoder.encode("same"))));
        new AdminPasswordBootstrap(repository, encoder, clock, password("same")).run(null);
        verify(repository, never()).save(any());
    }

    @Test
    void withoutAConfiguredPasswordOneIsGeneratedOnceOnly() {
        when(repository.findByUsername("admin")).thenReturn(Optional.empty());
        new AdminPasswordBootstrap(repository, encoder, clock, password("")).run(null);
        assertThat(saved().passwordHash).startsWith("$2a$");

        DashboardUserRepository later = mock(DashboardUserRepository.class);
        when(later.findByUsername("admin"))
                .thenReturn(Optional.of(admin(encoder.encode("generated"))));
        new AdminPasswordBootstrap(later, encoder, clock, password("")).run(null);
        verify(later, never()).save(any());
    }

    /** The settings with a configured dashboard password (empty: none). */
    private static AdminProperties password(String password) {
        return new AdminProperties("", password);
    }

    private DashboardUserEntity saved() {
        ArgumentCaptor<DashboardUserEntity> captor =
                ArgumentCaptor.forClass(DashboardUserEntity.class);
        verify(repository).save(captor.capture());
        return captor.getValue();
    }

    private static DashboardUserEntity admin(String hash) {
        DashboardUserEntity admin = new DashboardUserEntity();
        admin.username = "admin";
        admin.role = "admin";
        admin.passwordHash = hash;
        return admin;
    }
}
