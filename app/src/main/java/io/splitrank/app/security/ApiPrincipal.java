package io.splitrank.app.security;

/** Who is calling: the key's name (recorded in audit logs) and its role. */
record ApiPrincipal(String name, String role) {}
