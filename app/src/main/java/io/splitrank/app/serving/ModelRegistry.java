package io.splitrank.app.serving;

import io.splitrank.app.experiment.ModelCatalog;
import io.splitrank.models.artifact.ShippedArtifacts;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The loaded ranking models. Loads at start, from {@code splitrank.models.dir} or else the shipped
 * artifacts, plus the reference rankers when asked; a model that fails to load is logged and listed
 * with its reason, and the others are served. {@link #reload} swaps in a new set without a restart:
 * a request holds a {@link Lease} on the model it ranks with, and a replaced model is closed when
 * its last lease is returned.
 */
@Component
public class ModelRegistry implements ModelCatalog, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelProperties properties;
    private final Clock clock;
    private final AtomicReference<Generation> current = new AtomicReference<>();

    ModelRegistry(ModelProperties properties, Clock clock) {
        configureDjl();
        this.properties = properties;
        this.clock = clock;
        current.set(load());
    }

    /**
     * One loaded set of models.
     *
     * @param models the servable models by key, sorted
     * @param failures the models that did not load, with the reason
     * @param loadedAt when the set was loaded
     * @param conversionTypes the conversion types some model of the set predicts for
     */
    record Generation(
            Map<String, Entry> models,
            Map<String, String> failures,
            Instant loadedAt,
            Set<String> conversionTypes) {
        Generation(Map<String, Entry> models, Map<String, String> failures, Instant loadedAt) {
            this(
                    models,
                    failures,
                    loadedAt,
                    models.values().stream()
                            .flatMap(e -> e.ranker.conversionTypes().stream())
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    /** A model and the count of its holders: the registry's own reference plus one per lease. */
    static final class Entry {
        final Ranker ranker;
        private final AtomicInteger holders = new AtomicInteger(1);

        Entry(Ranker ranker) {
            this.ranker = ranker;
        }

        boolean tryAcquire() {
            for (int n = holders.get(); n > 0; n = holders.get()) {
                if (holders.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }

        void release() {
            if (holders.decrementAndGet() == 0) {
                try {
                    ranker.close();
                } catch (RuntimeException e) {
                    log.warn("Closing model {} failed: {}", ranker.info().key(), e.toString());
                }
            }
        }
    }

    /** The right to use a model until closed; the model stays open at least that long. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Ranker ranker() {
            return entry.ranker;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                entry.release();
            }
        }
    }

    /** A lease on the model with this key, if it is loaded. */
    public Optional<Lease> lease(String key) {
        while (true) {
            Generation generation = current.get();
            Entry entry = generation.models().get(key);
            if (entry == null) {
                return Optional.empty();
            }
            if (entry.tryAcquire()) {
                return Optional.of(new Lease(entry));
            }
            // retired between the read and the acquire: the new generation is already in place
        }
    }

    /** The loaded models, by key. */
    public List<ModelInfo> models() {
        return current.get().models().values().stream().map(e -> e.ranker.info()).toList();
    }

    /** The models that failed to load, with the reason. */
    public Map<String, String> failures() {
        return current.get().failures();
    }

    /** The loaded set as one consistent whole (a listing must not mix two generations). */
    Generation generation() {
        return current.get();
    }

    /** The conversion types some loaded model predicts for. */
    Set<String> conversionTypes() {
        return current.get().conversionTypes();
    }

    @Override
    public boolean isKnown(String model) {
        return current.get().models().containsKey(model);
    }

    @Override
    public Set<String> loadedKeys() {
        return current.get().models().keySet();
    }

    /**
     * Loads the models again (new artifacts in the directory) and swaps them in; requests in flight
     * finish on the old ones.
     */
    public synchronized void reload() {
        Generation next = load();
        Generation old = current.getAndSet(next);
        old.models().values().forEach(Entry::release);
    }

    @Override
    public synchronized void destroy() {
        current.get().models().values().forEach(Entry::release);
    }

    private Generation load() {
        Map<String, Entry> models = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        Path dir = properties.dir();
        if (dir != null) {
            loadDirectory(dir, models, failures);
        } else {
            loadShipped(models, failures);
        }
        if (properties.referenceArms()) {
            Marketplace world = new Marketplace(MarketplaceConfig.defaults());
            for (Ranker reference :
                    List.of(ReferenceRankers.random(world), ReferenceRankers.oracle(world))) {
                models.putIfAbsent(reference.info().key(), new Entry(reference));
            }
        }
        log.info(
                "Models loaded: {}{}",
                models.keySet(),
                failures.isEmpty() ? "" : "; failed: " + failures.keySet());
        return new Generation(
                Collections.unmodifiableMap(models),
                Collections.unmodifiableMap(failures),
                clock.instant());
    }

    private void loadDirectory(Path dir, Map<String, Entry> models, Map<String, String> failures) {
        List<Path> artifacts = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory)
                    .sorted(Comparator.naturalOrder())
                    .forEach(artifacts::add);
        } catch (IOException e) {
            String reason = "cannot read splitrank.models.dir " + dir + ": " + e;
            log.error("No models loaded: {}", reason);
            failures.put("*", reason);
            return;
        }
        for (Path artifact : artifacts) {
            loadOne(artifact.getFileName().toString(), artifact, models, failures);
        }
    }

    private void loadShipped(Map<String, Entry> models, Map<String, String> failures) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("splitrank-models");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the shipped models", e);
        }
        try {
            for (String key : ShippedArtifacts.keys()) {
                Path artifact;
                try {
                    artifact = ShippedArtifacts.extract(key, tmp);
                } catch (IOException e) {
                    failures.put(key, "shipped artifact missing: " + e.getMessage());
                    log.error("Model {} not loaded: {}", key, failures.get(key));
                    continue;
                }
                loadOne(key, artifact, models, failures);
            }
        } finally {
            // DJL has read the parameters into memory
            try {
                FileSystemUtils.deleteRecursively(tmp);
            } catch (IOException e) {
                log.debug("Could not delete {}: {}", tmp, e.toString());
            }
        }
    }

    private static void loadOne(
            String name, Path artifact, Map<String, Entry> models, Map<String, String> failures) {
        try {
            DjlRanker ranker = DjlRanker.load(artifact);
            String key = ranker.info().key();
            if (models.containsKey(key)) {
                ranker.close();
                failures.put(name, "a second artifact with key " + key);
            } else {
                models.put(key, new Entry(ranker));
            }
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            failures.put(name, reason);
            log.error("Model {} not loaded from {}: {}", name, artifact, reason);
        }
    }

    /**
     * DJL must not reach for the network (the native library ships in the jar), and the networks
     * are small: one intra-op thread per call serves concurrent requests better than threads
     * fighting over the cores. Explicit settings win.
     */
    private static void configureDjl() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("ai.djl.offline", "true");
        defaults.put("ai.djl.pytorch.num_threads", "1");
        defaults.put("ai.djl.pytorch.num_interop_threads", "1");
        defaults.forEach(
                (k, v) -> {
                    if (System.getProperty(k) == null) {
                        System.setProperty(k, v);
                    }
                });
    }
}
