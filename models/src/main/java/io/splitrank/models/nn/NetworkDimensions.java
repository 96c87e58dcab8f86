package io.splitrank.models.nn;

/**
 * Layer sizes shared by the four architectures, so that they are compared at a similar size and an
 * artifact can rebuild its block.
 *
 * @param embeddingDim width of each field embedding
 * @param experts number of experts (MMoE, and shared experts of CGC counted as {@code experts / 2})
 * @param expertHidden hidden width of an expert / bottom MLP
 * @param expertWidth output width of an expert, i.e. of each task representation
 * @param towerHidden hidden width of a tower
 */
public record NetworkDimensions(
        int embeddingDim, int experts, int expertHidden, int expertWidth, int towerHidden) {

    /** The sizes the offline evaluation uses. */
    public static final NetworkDimensions DEFAULT = new NetworkDimensions(8, 4, 64, 32, 32);

    public NetworkDimensions {
        if (embeddingDim < 1
                || experts < 1
                || expertHidden < 1
                || expertWidth < 1
                || towerHidden < 1) {
            throw new IllegalArgumentException("all dimensions must be positive");
        }
    }
}
