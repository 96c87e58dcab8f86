package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Lets the trainer see a training forward pass at the shared representation: {@link #split} hands
 * each task a detached leaf copy of {@code h} that records its own gradient, and keeps {@code h} so
 * that the combined gradient can be pushed through it afterwards (the per-task gradient recipe of
 * models/README.md: {@code GradientCollector.backward} cannot keep the graph for a second pass).
 *
 * <p>Not thread-safe: one tap per training loop; cleared after every step.
 */
public final class SharedRepresentationTap {

    private NDArray shared;
    private NDList copies;

    /** {@code n} leaf copies of {@code h} that require gradients; remembers {@code h}. */
    public NDList split(NDArray h, int n) {
        shared = h;
        copies = new NDList(n);
        for (int i = 0; i < n; i++) {
            NDArray copy = h.stopGradient();
            copy.setRequiresGradient(true);
            copies.add(copy);
        }
        return copies;
    }

    /** The shared representation of the last training forward pass. */
    public NDArray shared() {
        if (shared == null) {
            throw new IllegalStateException("no forward pass went through the tap");
        }
        return shared;
    }

    /** The per-task gradients at the copies, after the task losses were backpropagated. */
    public float[][] copyGradients() {
        float[][] grads = new float[copies.size()][];
        for (int i = 0; i < copies.size(); i++) {
            grads[i] = copies.get(i).getGradient().toFloatArray();
        }
        return grads;
    }

    public void clear() {
        shared = null;
        copies = null;
    }
}
