package org.yolofleet.dataset;

import org.yolofleet.core.image.FileSignatures;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes of an XML file into text strictly. The encoding comes from the byte order mark, else the XML
 * declaration, else UTF-8 (XML 1.0, appendix F; UTF-16 without a mark is recognised by its leading '<'). A single
 * byte that is not valid in that encoding rejects the file: the XML parser never guesses or substitutes.
 */
final class XmlText {
    private static final Pattern DECLARED_ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']([A-Za-z][A-Za-z0-9._-]*)[\"']");
    private static final int DECLARATION_SEARCH_BYTES = 1024;

    private XmlText() {
    }

    /** The decoded text, without a byte order mark. */
    static String decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new RecordRejectedException(QuarantineReason.XML_EMPTY, "the file has 0 bytes");
        }
        Charset charset;
        int start = 0;
        if (FileSignatures.startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            start = 3;
        } else if (FileSignatures.startsWith(bytes, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            start = 2;
        } else if (FileSignatures.startsWith(bytes, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            start = 2;
        } else if (FileSignatures.startsWith(bytes, 0x00, 0x3C)) {
            charset = StandardCharsets.UTF_16BE;
        } else if (FileSignatures.startsWith(bytes, 0x3C, 0x00)) {
            charset = StandardCharsets.UTF_16LE;
        } else {
            charset = declaredSingleByteCompatible(bytes);
        }
        return decodeStrictly(bytes, start, charset);
    }

    private static Charset declaredSingleByteCompatible(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, DECLARATION_SEARCH_BYTES), StandardCharsets.ISO_8859_1);
        if (!head.startsWith("<?xml")) {
            return StandardCharsets.UTF_8;
        }
        int end = head.indexOf("?>");
        Matcher matcher = DECLARED_ENCODING.matcher(end < 0 ? head : head.substring(0, end));
        if (!matcher.find()) {
            return StandardCharsets.UTF_8;
        }
        String name = matcher.group(1);
        Charset charset;
        try {
            charset = Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            throw new RecordRejectedException(QuarantineReason.XML_ENCODING, "declares the unknown encoding '" + name + "'");
        }
        String canonical = charset.name().toUpperCase(Locale.ROOT);
        if (canonical.startsWith("UTF-16") || canonical.startsWith("UTF-32")) {
            throw new RecordRejectedException(QuarantineReason.XML_ENCODING,
                    "declares " + name + " but is written in a single-byte (ASCII-compatible) encoding");
        }
        return charset;
    }

    private static String decodeStrictly(byte[] bytes, int start, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer output = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L,
                (long) Math.ceil((bytes.length - start) * (double) decoder.maxCharsPerByte()) + 1));
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError()) {
            result = decoder.flush(output);
        }
        if (result.isError()) {
            StringBuilder offending = new StringBuilder();
            for (int index = input.position(); index < Math.min(bytes.length, input.position() + result.length()); index++) {
                offending.append(String.format(Locale.ROOT, " %02X", bytes[index] & 0xFF));
            }
            throw new RecordRejectedException(QuarantineReason.XML_ENCODING, "not valid " + charset.name() + " at byte "
                    + input.position() + ":" + offending);
        }
        output.flip();
        String text = output.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
