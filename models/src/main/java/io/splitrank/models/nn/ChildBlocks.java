package io.splitrank.models.nn;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.util.Pair;

/**
 * Finds a child block by the name it was registered with (DJL prefixes the key with its position).
 */
final class ChildBlocks {

    private ChildBlocks() {}

    static Block find(BlockList children, String name) {
        for (Pair<String, Block> child : children) {
            String key = child.getKey();
            if (key.length() == name.length() + 2 && key.endsWith(name)) {
                return child.getValue();
            }
        }
        throw new IllegalArgumentException("no child block named " + name);
    }
}
