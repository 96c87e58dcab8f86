package io.splitrank.experiments;

import java.util.Objects;

/**
 * One position of an interleaved list: the item and the arm credited with it, the arm whose ranking
 * contributed it (see {@link TeamDraft}).
 *
 * @param itemId the item, as it appears in the arms' rankings
 * @param arm index of the credited arm in the list of rankings given to {@link TeamDraft}
 */
public record InterleavedItem(String itemId, int arm) {

    /** Validates the item. */
    public InterleavedItem {
        Objects.requireNonNull(itemId, "itemId must not be null");
        if (arm < 0) {
            throw new IllegalArgumentException("arm must not be negative, was " + arm);
        }
    }
}
