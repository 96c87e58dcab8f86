package io.splitrank.models.artifact;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.splitrank.models.Architecture;
import io.splitrank.models.nn.MultiTaskBlock;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves and loads a model as a directory {@code <root>/<key>/} holding the DJL parameters ({@code
 * <key>-0000.params}) and {@code metadata.json}.
 */
public final class ModelArtifact {

    static final String METADATA = "metadata.json";
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private ModelArtifact() {}

    /**
     * Writes the model's parameters and metadata under {@code root/<key>}; returns that directory.
     */
    public static Path save(Path root, Model model, ModelMetadata metadata) throws IOException {
        Path dir = root.resolve(metadata.key());
        Files.createDirectories(dir);
        // DJL numbers parameter files by epoch and would add <key>-0001.params beside an older
        // artifact; an artifact directory holds exactly one model, so pin 0 and drop stale files
        try (var stale = Files.list(dir)) {
            for (Path file :
                    stale.filter(
                                    f ->
                                            f.getFileName()
                                                    .toString()
                                                    .matches(
                                                            java.util.regex.Pattern.quote(
                                                                            metadata.key())
                                                                    + "-\\d{4}\\.params"))
                            .toList()) {
                Files.delete(file);
            }
        }
        model.setProperty("Epoch", "0");
        model.save(dir, metadata.key());
        try (Writer writer =
                Files.newBufferedWriter(dir.resolve(METADATA), StandardCharsets.UTF_8)) {
            GSON.toJson(metadata, writer);
        }
        return dir;
    }

    /** Reads {@code metadata.json} from an artifact directory. */
    public static ModelMetadata readMetadata(Path dir) throws IOException {
        try (Reader reader =
                Files.newBufferedReader(dir.resolve(METADATA), StandardCharsets.UTF_8)) {
            return GSON.fromJson(reader, ModelMetadata.class);
        }
    }

    /** Rebuilds the block from the metadata and loads the parameters into a new {@link Model}. */
    public static Model loadModel(Path dir, ModelMetadata metadata) throws IOException {
        MultiTaskBlock block =
                Architecture.fromKey(metadata.architecture())
                        .newBlock(metadata.featureSpec(), metadata.dimensions());
        Model model = Model.newInstance(metadata.key(), "PyTorch");
        try {
            model.setBlock(block);
            model.load(dir, metadata.key());
            return model;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw e instanceof IOException io
                    ? io
                    : new IOException("cannot load model from " + dir, e);
        }
    }
}
