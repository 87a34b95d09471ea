package org.yolofleet.core.release;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON dialect of a release: objects are built field by field in the order the writer lists them and printed
 * with two-space indentation, {@code \n} line ends, {@code "key": value} entries and a final newline, in UTF-8. The same
 * record therefore always gives the same bytes (on a given JDK: doubles print as {@link Double#toString}), which is
 * what a signature over {@code manifest.json} needs. Reading refuses duplicate keys and anything after the value.
 */
final class ReleaseJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer(new CanonicalPrinter());

    private ReleaseJson() {}

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** The canonical bytes of a JSON object. */
    static byte[] write(ObjectNode root) {
        try {
            return (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        catch (JsonProcessingException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** The top-level object of {@code json}, read strictly; {@link ErrorCode#BAD_RELEASE} naming {@code source} otherwise. */
    static JsonFields read(byte[] json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + " is not valid JSON: " + originalMessage(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new YoloFleetException(ErrorCode.BAD_RELEASE, source + " must hold one JSON object");
        }
        return new JsonFields((ObjectNode) root, source);
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
    }

    /** Jackson's pretty printer with {@code \n} line ends on every platform and {@code "key": value} entries. */
    private static final class CanonicalPrinter extends DefaultPrettyPrinter {
        CanonicalPrinter() {
            indentObjectsWith(new DefaultIndenter("  ", "\n"));
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new CanonicalPrinter();
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator generator) throws IOException {
            generator.writeRaw(": ");
        }
    }
}
