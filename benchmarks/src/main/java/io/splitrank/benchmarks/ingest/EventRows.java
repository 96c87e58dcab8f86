package io.splitrank.benchmarks.ingest;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic events: batch {@code b} is the same rows whether it goes through the API
 * (as JSON) or straight into the table (as COPY text), so the two paths move identical data.
 */
final class EventRows {

    private static final String[] SCENARIOS = {"home", "search", "detail"};

    private final String runId;
    private final int units;
    private final Instant base;

    EventRows(String runId, int units, Instant base) {
        this.runId = runId;
        this.units = units;
        this.base = base;
    }

    String unit(int i) {
        return "bench-" + runId + "-u" + i;
    }

    /** One event: {id, type, unit, ts, scenario, item, conversionType or null, value or null}. */
    private String[] row(long batch, int i) {
        SplittableRandom r = new SplittableRandom(batch * 1_000_003L + i);
        double x = r.nextDouble();
        String type = x < 0.7 ? "impression" : x < 0.93 ? "click" : "conversion";
        String conversionType =
                type.equals("conversion") ? (r.nextBoolean() ? "purchase" : "signup") : null;
        String value =
                type.equals("impression")
                        ? null
                        : Double.toString(
                                Math.round(r.nextDouble() * (type.equals("click") ? 100 : 10_000))
                                        / 100.0);
        return new String[] {
            runId + "-" + batch + "-" + i,
            type,
            unit(r.nextInt(units)),
            base.plusMillis(r.nextInt(60_000)).toString(),
            SCENARIOS[r.nextInt(3)],
            "ad" + r.nextInt(5000),
            conversionType,
            value
        };
    }

    String json(long batch, int size) {
        StringBuilder sb = new StringBuilder(size * 200).append("{\"events\":[");
        for (int i = 0; i < size; i++) {
            String[] e = row(batch, i);
            sb.append(i == 0 ? "{" : ",{")
                    .append("\"eventId\":\"")
                    .append(e[0])
                    .append("\",\"type\":\"")
                    .append(e[1])
                    .append("\",\"unitId\":\"")
                    .append(e[2])
                    .append("\",\"timestamp\":\"")
                    .append(e[3])
                    .append("\",\"scenario\":\"")
                    .append(e[4])
                    .append("\",\"itemId\":\"")
                    .append(e[5])
                    .append('"');
            if (e[6] != null) {
                sb.append(",\"conversionType\":\"").append(e[6]).append('"');
            }
            if (e[7] != null) {
                sb.append(",\"value\":").append(e[7]);
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    /**
     * The same rows in COPY text format for the event table, with a batch id no aggregator pass
     * picks up, and ids of the same length that differ from the API's (runId.batch-i), since the
     * event table's unique index on event_id would otherwise make the API path's rows duplicates of
     * these.
     */
    String copyText(long batch, int size, String receivedAt) {
        StringBuilder sb = new StringBuilder(size * 160);
        for (int i = 0; i < size; i++) {
            String[] e = row(batch, i);
            int type = e[1].equals("impression") ? 0 : e[1].equals("click") ? 1 : 2;
            sb.append(-1 - batch)
                    .append('\t')
                    .append(e[0].replaceFirst("-", "."))
                    .append('\t')
                    .append(type)
                    .append('\t')
                    .append(e[2])
                    .append('\t')
                    .append(e[3])
                    .append('\t')
                    .append(e[4])
                    .append('\t')
                    .append(e[5])
                    .append('\t')
                    .append(e[6] == null ? "\\N" : e[6])
                    .append('\t')
                    .append(e[7] == null ? "\\N" : e[7])
                    .append('\t')
                    .append(receivedAt)
                    .append('\n');
        }
        return sb.toString();
    }
}
