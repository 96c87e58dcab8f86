/**
 * Model serving: the registry of loaded ranking models (the shipped artifacts, or those of {@code
 * splitrank.models.dir}, and the reference rankers of the simulated world), {@code GET
 * /api/v1/models}, and {@code POST /api/v1/rank}, which assigns a unit and ranks candidate ads with
 * its arm's model by the eCPM the model expects.
 */
package io.splitrank.app.serving;
