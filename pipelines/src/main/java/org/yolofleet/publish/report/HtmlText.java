package org.yolofleet.publish.report;

import static java.util.Objects.requireNonNull;

/**
 * Text made safe for HTML and SVG, in element content and in quoted attribute values alike: {@code & < > " '} become
 * character references, and control characters other than tab and line breaks (not allowed in HTML text) become
 * U+FFFD. Class names, image keys and compiler messages come from users and tools, so every one of them passes here.
 */
public final class HtmlText {
    private HtmlText() {}

    public static String escape(String text) {
        requireNonNull(text, "text");
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            switch (character) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(character < 0x20 && character != '\t' && character != '\n' && character != '\r' || character == 0x7f
                        ? '\uFFFD' : character);
            }
        }
        return escaped.toString();
    }
}
