package io.splitrank.app.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The first admin's credentials.
 *
 * @param adminKey the admin API key ({@code SPLITRANK_ADMIN_KEY}); empty: one is generated at the
 *     first start and printed once
 * @param adminPassword the password of the dashboard's account {@code admin} ({@code
 *     SPLITRANK_ADMIN_PASSWORD}); empty: one is generated at the first start and printed once
 */
@ConfigurationProperties("splitrank")
public record AdminProperties(
        @DefaultValue("") String adminKey, @DefaultValue("") String adminPassword) {}
