package io.splitrank.models.marketplace;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.lang.reflect.RecordComponent;

/**
 * The one Gson set-up of the marketplace's JSON ({@code marketplace.json}, {@link
 * MarketplaceConfig#toJson()}, {@link FeatureSpecJson}): records are written field by field in
 * component order, indented by two spaces, and read back through their canonical constructors, so
 * their validation runs. A record read from an object that lacks one of its components is rejected:
 * a missing parameter must not silently become 0.
 */
final class MarketplaceJson {

    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .disableHtmlEscaping()
                    .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
                    .registerTypeAdapterFactory(new EveryComponentRequired())
                    .create();

    private MarketplaceJson() {}

    /** The value as indented JSON with a final newline; non-finite numbers are rejected. */
    static String write(Object value) {
        return GSON.toJson(value) + "\n";
    }

    /**
     * Reads a value of the given type.
     *
     * @throws IllegalArgumentException if the text is not JSON of that shape
     */
    static <T> T read(String json, Class<T> type) {
        T value;
        try {
            value = GSON.fromJson(json, type);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps what a record's constructor throws; its validation message is the useful
            // one
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw e;
        }
        if (value == null) {
            throw new IllegalArgumentException("JSON: empty document");
        }
        return value;
    }

    /** Rejects a JSON object without one of the components of the record it is read into. */
    private static final class EveryComponentRequired implements TypeAdapterFactory {

        @Override
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Class<? super T> raw = type.getRawType();
            if (!raw.isRecord()) {
                return null;
            }
            TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
            TypeAdapter<JsonElement> elements = gson.getAdapter(JsonElement.class);
            return new TypeAdapter<>() {
                @Override
                public void write(JsonWriter out, T value) throws IOException {
                    delegate.write(out, value);
                }

                @Override
                public T read(JsonReader in) throws IOException {
                    JsonElement tree = elements.read(in);
                    if (tree instanceof JsonObject object) {
                        for (RecordComponent component : raw.getRecordComponents()) {
                            if (!object.has(component.getName())) {
                                throw new JsonParseException(
                                        "missing "
                                                + raw.getSimpleName()
                                                + "."
                                                + component.getName());
                            }
                        }
                    }
                    return delegate.fromJsonTree(tree);
                }
            };
        }
    }
}
