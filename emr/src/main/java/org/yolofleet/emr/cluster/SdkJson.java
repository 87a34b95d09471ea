package org.yolofleet.emr.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes an AWS SDK v2 request as the JSON its service's API takes, member names in PascalCase as the model spells
 * them ({@code ReleaseLabel}, {@code Instances.InstanceFleets}): the input of an EventBridge Scheduler universal target
 * ({@code arn:aws:scheduler:::aws-sdk:emr:runJobFlow}) is exactly that JSON. Members left unset are left out, as the
 * SDK itself leaves them out of the request it sends.
 */
public final class SdkJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SdkJson() {
    }

    /** The JSON text of a request or any other SDK model object. */
    public static String write(SdkPojo pojo) {
        try {
            return MAPPER.writeValueAsString(tree(pojo));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + pojo.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The JSON tree of an SDK model object. */
    public static ObjectNode tree(SdkPojo pojo) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (isSet(value)) {
                String name = field.locationName() != null ? field.locationName() : field.memberName();
                node.set(name, value(value));
            }
        }
        return node;
    }

    private static boolean isSet(Object value) {
        return value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap);
    }

    private static JsonNode value(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value instanceof SdkPojo pojo) {
            return tree(pojo);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(element -> array.add(value(element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            map.forEach((key, element) -> object.set(String.valueOf(key), value(element)));
            return object;
        }
        if (value instanceof String text) {
            return nodes.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return nodes.booleanNode(bool);
        }
        if (value instanceof Integer number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Long number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Double number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Float number) {
            return nodes.numberNode(number);
        }
        if (value instanceof BigDecimal number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Instant instant) {
            return nodes.numberNode(BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3));
        }
        if (value instanceof SdkBytes bytes) {
            return nodes.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        }
        throw new IllegalArgumentException("no JSON form for a " + value.getClass().getName());
    }
}
