package io.splitrank.app.security;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dashboard's accounts for form login. A signed-in user gets the rights of the account's role
 * (viewer, owner, admin; {@link Authorities}), which the {@code /api/**} rules then apply as to an
 * API key.
 */
@Component
class DashboardUsers implements UserDetailsService {

    private final DashboardUserRepository repository;

    DashboardUsers(DashboardUserRepository repository) {
        this.repository = repository;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        DashboardUserEntity user =
                repository
                        .findByUsername(username)
                        .orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return User.withUsername(user.username)
                .password(user.passwordHash)
                .authorities(Authorities.ofUserRole(user.role))
                .disabled(user.disabledAt != null)
                .build();
    }
}
