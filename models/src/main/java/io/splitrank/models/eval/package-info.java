/**
 * Offline evaluation of the ranking models on a held-out impression log: AUC and log-loss per
 * classification task, GAUC per user, NRMSE for value. Pure functions over arrays; results are
 * records carrying the counts they rest on.
 */
package io.splitrank.models.eval;
