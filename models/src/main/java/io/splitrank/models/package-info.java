/**
 * The multi-task ranking models (baseline MMoE/ESMM, EKTM, HTLNet, AEM2TL) in DJL, their trainer
 * and offline evaluation, and the synthetic ad marketplace they learn from. See models/README.md.
 */
package io.splitrank.models;
