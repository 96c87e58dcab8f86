package io.splitrank.experiments;

import java.util.regex.Pattern;

/**
 * GrowthBook's {@code paddedVersionString}: turns a version ("v1.2.3-rc.1+build") into a string
 * whose plain string order is version order, for the {@code $veq $vne $vgt $vgte $vlt $vlte}
 * operators.
 */
final class VersionStrings {

    private static final Pattern PREFIX_AND_BUILD = Pattern.compile("^v|\\+.*\\z");
    private static final Pattern SEPARATOR = Pattern.compile("[-.]");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

    private VersionStrings() {}

    /**
     * Removes a leading {@code v} and build metadata, splits on {@code -} and {@code .}, appends
     * {@code ~} to a plain three-part version (so a release sorts after its pre-releases),
     * left-pads numeric parts to five characters with spaces, and joins with {@code -}. Non-strings
     * other than numbers, and empty strings, read as "0".
     */
    static String padded(Object input) {
        String s;
        if (input instanceof Number n) {
            s = JsValues.numberToString(n);
        } else if (input instanceof String str && !str.isEmpty()) {
            s = str;
        } else {
            s = "0";
        }
        String[] parts = SEPARATOR.split(PREFIX_AND_BUILD.matcher(s).replaceAll(""), -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            appendPart(sb, i, parts[i]);
        }
        if (parts.length == 3) {
            appendPart(sb, 3, "~");
        }
        return sb.toString();
    }

    private static void appendPart(StringBuilder sb, int index, String part) {
        if (index > 0) {
            sb.append('-');
        }
        if (NUMERIC.matcher(part).matches() && part.length() < 5) {
            sb.append(" ".repeat(5 - part.length()));
        }
        sb.append(part);
    }
}
