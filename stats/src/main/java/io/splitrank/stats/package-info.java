/** Placeholder; see this module's README. */
package io.splitrank.stats;
