package io.splitrank.stats;

/**
 * Expected loss, on the lift's scale, of shipping each arm: E[max(lift, 0)] for keeping the control
 * and E[max(−lift, 0)] for shipping the treatment.
 *
 * @param control expected loss of choosing the control
 * @param treatment expected loss of choosing the treatment
 */
public record Risk(double control, double treatment) {}
