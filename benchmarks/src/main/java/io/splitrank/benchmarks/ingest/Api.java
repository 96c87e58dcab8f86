package io.splitrank.benchmarks.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few platform calls the benchmark makes, over loopback with the admin key. */
final class Api {

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final String base;
    private final String key;

    Api(String base, String key) {
        if (!base.startsWith("http://127.0.0.1:") && !base.startsWith("http://localhost:")) {
            throw new IllegalArgumentException("the benchmark only talks to 127.0.0.1: " + base);
        }
        this.base = base;
        this.key = key;
    }

    /** POSTs JSON and returns the body; fails on any status but 2xx. */
    String post(String path, String json) throws IOException, InterruptedException {
        return post(
                path,
                json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
    }

    /** POSTs JSON already encoded in UTF-8. */
    String postBytes(String path, byte[] json) throws IOException, InterruptedException {
        return post(path, HttpRequest.BodyPublishers.ofByteArray(json));
    }

    private String post(String path, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofMinutes(30))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(body)
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "POST " + path + " → " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    String get(String path) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofMinutes(5))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "GET " + path + " → " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Creates and starts an experiment with a baseline and an ektm arm, and exposes its units 0 to
     * {@code units - 1} of {@code names} through the batch assignment (exposures are written
     * asynchronously: the caller waits for them).
     */
    void startExposed(String key, EventRows names, int units)
            throws IOException, InterruptedException {
        post(
                "/api/v1/experiments",
                "{\"key\": \""
                        + key
                        + "\", \"analysis\": {}, \"arms\": [{\"key\": \"control\", \"model\":"
                        + " \"baseline\"}, {\"key\": \"ektm\", \"model\": \"ektm\"}]}");
        post("/api/v1/experiments/" + key + "/start", (String) null);
        for (int from = 0; from < units; from += 1000) {
            StringBuilder body =
                    new StringBuilder("{\"experiments\": [\"" + key + "\"], \"units\": [");
            for (int i = from; i < Math.min(units, from + 1000); i++) {
                body.append(i == from ? "" : ",")
                        .append("{\"attributes\": {\"userId\": \"")
                        .append(names.unit(i))
                        .append("\"}}");
            }
            post("/api/v1/assign/batch", body.append("]}").toString());
        }
    }

    /** The integer after {@code "name":} in a JSON body (the benchmark carries no JSON library). */
    static long number(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        int from = at + name.length() + 3;
        int to = from;
        while (to < json.length()
                && (Character.isDigit(json.charAt(to)) || json.charAt(to) == '-')) {
            to++;
        }
        return Long.parseLong(json.substring(from, to));
    }
}
