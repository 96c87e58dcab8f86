package io.splitrank.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineOfflineTest {

    @Test
    void pytorchEngineLoadsFromTheBundledNativeJar() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f});
            assertThat(a.sum().getFloat()).isEqualTo(6f);
        }
    }
}
