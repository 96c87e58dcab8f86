package io.splitrank.app.security;

/**
 * Who is calling with a key: its id, its name (recorded in audit logs), its scope, and its rate
 * limit in requests per second (0: the platform's default).
 */
record ApiPrincipal(long id, String name, String scope, int rateLimit) {}
