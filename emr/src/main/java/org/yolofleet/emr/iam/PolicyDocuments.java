package org.yolofleet.emr.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.emr.config.LauncherConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The IAM policy documents of the three roles ({@code emr/iam/*.json}, in the jar under {@code iam/}), with the
 * configuration's bucket, prefixes, region, account and role ARNs filled in.
 */
public final class PolicyDocuments {

    /** The roles, each with its policy document. */
    public enum Role {
        EMR_JOB("emr-job-role-policy.json"),
        SCHEDULER("scheduler-role-policy.json"),
        DEVICE("device-role-policy.json");

        private final String file;

        Role(String file) {
            this.file = file;
        }

        /** The document's file name. */
        public String file() {
            return file;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PolicyDocuments() {
    }

    /** The policy document of {@code role} as JSON text; {@code model} names the device role's model. */
    public static String render(LauncherConfig config, Role role, String model) {
        if (role == Role.DEVICE && !model.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new YoloFleetException(ErrorCode.CONFIG, "policies: --model '" + model + "' is not a model name (letters, digits, '.', '_', '-')");
        }
        String text = template(role);
        for (Map.Entry<String, String> value : values(config, model).entrySet()) {
            text = text.replace("{" + value.getKey() + "}", value.getValue());
        }
        try {
            JsonNode document = MAPPER.readTree(text);
            if (config.schedule().deadLetterQueueArn().isEmpty()) {
                ArrayNode statements = (ArrayNode) document.get("Statement");
                for (Iterator<JsonNode> iterator = statements.iterator(); iterator.hasNext(); ) {
                    if (iterator.next().path("Resource").asText().isEmpty() && role == Role.SCHEDULER) {
                        iterator.remove();
                    }
                }
            }
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document);
        } catch (IOException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "policies: " + role.file() + " is not JSON: " + e.getMessage());
        }
    }

    private static Map<String, String> values(LauncherConfig config, String model) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("bucket", config.bucket());
        for (String prefix : LauncherConfig.PREFIXES) {
            values.put("prefix." + prefix, config.prefix(prefix));
        }
        values.put("model", model);
        values.put("region", config.region());
        values.put("account", config.roles().serviceArn().split(":")[4]);
        values.put("service-role-arn", config.roles().serviceArn());
        values.put("job-role-arn", config.roles().jobArn());
        values.put("dead-letter-queue-arn", config.schedule().deadLetterQueueArn());
        return values;
    }

    private static String template(Role role) {
        try (InputStream in = PolicyDocuments.class.getResourceAsStream("/iam/" + role.file())) {
            if (in == null) {
                throw new YoloFleetException(ErrorCode.INTERNAL, "policies: iam/" + role.file() + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "policies: cannot read iam/" + role.file() + ": " + e.getMessage());
        }
    }

}
