package io.splitrank.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics against independent values: src/test/resources/eval/reference_metrics.py (Debian
 * /usr/bin/python3, scipy 1.10.1 {@code mannwhitneyu} for AUC and GAUC, numpy 1.24 for log-loss and
 * NRMSE) on the fixed 80-row dataset it wrote (tied scores, 8 users, scores of exactly 0 and 1).
 * Tolerance 1e-12: both sides compute in double from the same float32 inputs; only summation order
 * differs.
 */
final class MetricsReferenceTest {

    private static final double TOLERANCE = 1e-12;

    private static float[] labels;
    private static float[] scores;
    private static int[] users;
    private static float[] actual;
    private static float[] predicted;
    private static Properties expected;

    @BeforeAll
    static void load() throws IOException {
        List<String> rows = resource("reference_data.csv").lines().skip(1).toList();
        int n = rows.size();
        labels = new float[n];
        scores = new float[n];
        users = new int[n];
        actual = new float[n];
        predicted = new float[n];
        for (int i = 0; i < n; i++) {
            String[] f = rows.get(i).split(",");
            labels[i] = Float.parseFloat(f[0]);
            scores[i] = Float.parseFloat(f[1]);
            users[i] = Integer.parseInt(f[2]);
            actual[i] = Float.parseFloat(f[3]);
            predicted[i] = Float.parseFloat(f[4]);
        }
        expected = new Properties();
        expected.load(new StringReader(resource("reference_expected.properties")));
    }

    @Test
    void aucMatchesScipyMannWhitneyU() {
        assertThat(Auc.of(labels, scores).value()).isCloseTo(number("auc"), within(TOLERANCE));
    }

    @Test
    void gaucMatchesPerUserMannWhitneyUWeightedByImpressions() {
        Gauc.Result gauc = Gauc.of(labels, scores, users);
        assertThat(gauc.value()).isCloseTo(number("gauc"), within(TOLERANCE));
        assertThat(gauc.users()).isEqualTo(Long.parseLong(expected.getProperty("gauc.users")));
    }

    @Test
    void logLossMatchesNumpyWithTheSameClipping() {
        assertThat(LogLoss.of(labels, scores).value())
                .isCloseTo(number("logloss"), within(TOLERANCE));
    }

    @Test
    void nrmseMatchesNumpyRmseOverMeanActual() {
        assertThat(Nrmse.of(actual, predicted).value())
                .isCloseTo(number("nrmse"), within(TOLERANCE));
    }

    private static double number(String key) {
        return Double.parseDouble(expected.getProperty(key));
    }

    private static String resource(String name) {
        try (InputStream in = MetricsReferenceTest.class.getResourceAsStream("/eval/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource eval/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
