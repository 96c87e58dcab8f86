/** JMH benchmarks and the HTTP load generator; run by hand, figures in docs/performance.md. */
package io.splitrank.benchmarks;
