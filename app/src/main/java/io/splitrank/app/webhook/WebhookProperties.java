package io.splitrank.app.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the outgoing webhooks ({@code analysis.webhookUrl}).
 *
 * @param allowPrivate whether a webhook may point at a loopback, link-local, private, unspecified
 *     or multicast address (off: such URLs are refused when an experiment is defined, and a host
 *     that resolves to one is not called)
 */
@ConfigurationProperties("splitrank.webhooks")
public record WebhookProperties(@DefaultValue("false") boolean allowPrivate) {}
