/**
 * What every outgoing webhook obeys, shared by the experiment package (which checks {@code
 * analysis.webhookUrl} when an experiment is defined) and the report package (which calls it): the
 * addresses a webhook may reach ({@link io.splitrank.app.webhook.WebhookAddresses}) and the
 * signature of its body ({@link io.splitrank.app.webhook.WebhookSignature}).
 */
package io.splitrank.app.webhook;
