package io.splitrank.models.artifact;

import io.splitrank.models.Architecture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The trained artifacts the project ships on the classpath (one per architecture, written by the
 * documented comparison command into {@code models-artifacts/} and packaged under {@value
 * #RESOURCE_ROOT}), so that a fresh build serves every model with no training step. DJL loads
 * parameters from a directory, so an artifact is copied out of the jar before it is loaded.
 */
public final class ShippedArtifacts {

    /**
     * Where the artifacts live on the classpath: {@code <root><key>/metadata.json} and parameters.
     */
    public static final String RESOURCE_ROOT = "io/splitrank/models/artifacts/";

    private ShippedArtifacts() {}

    /** The keys of the shipped models: one per architecture. */
    public static List<String> keys() {
        return Arrays.stream(Architecture.values()).map(Architecture::key).toList();
    }

    /**
     * Copies the shipped artifact of {@code key} to {@code root/<key>} and returns that directory,
     * ready for {@link RankingModel#load}.
     *
     * @throws NoSuchFileException if the artifact is not on the classpath
     */
    public static Path extract(String key, Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(key));
        ClassLoader loader = ShippedArtifacts.class.getClassLoader();
        for (String file : List.of(ModelArtifact.METADATA, key + "-0000.params")) {
            String resource = RESOURCE_ROOT + key + "/" + file;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new NoSuchFileException(resource, null, "not on the classpath");
                }
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
