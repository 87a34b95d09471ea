package org.yolofleet.device.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code state.json}: {@link AgentState} as JSON, replaced atomically (written to a temporary file, fsynced, renamed over
 * the old one, the directory fsynced), so a power cut leaves the old state or the new one, never half of either.
 */
public final class StateFile {
    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public StateFile(Path file) {
        this.file = requireNonNull(file, "file");
    }

    public Path file() {
        return file;
    }

    /** The state on disk; {@link AgentState#initial()} when there is none yet. */
    public AgentState read() {
        if (!Files.exists(file)) {
            return AgentState.initial();
        }
        try {
            return fromJson(MAPPER.readTree(file.toFile()));
        }
        catch (IOException | RuntimeException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read the agent state " + file + " (" + e.getMessage()
                    + "); move it aside and run sync again: the installed release is read from the current link", e);
        }
    }

    /** Replaces the state on disk atomically. */
    public void write(AgentState state) {
        requireNonNull(state, "state");
        try {
            byte[] json = MAPPER.writeValueAsBytes(toJson(state));
            Durable.writeAtomically(file, json);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the agent state " + file + ": " + e.getMessage(), e);
        }
    }

    /** The state as the JSON {@code status --json} prints. */
    public static ObjectNode toJson(AgentState state) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("schemaVersion", SCHEMA_VERSION);
        json.put("installedVersion", state.installedVersion().orElse(null));
        json.put("installedSequence", state.installedSequence());
        json.put("channelEtag", state.channelEtag().orElse(null));
        ArrayNode bads = json.putArray("badVersions");
        for (AgentState.BadVersion bad : state.badVersions()) {
            ObjectNode node = bads.addObject();
            node.put("version", bad.version());
            node.put("sequence", bad.sequence());
            node.put("reason", bad.reason());
            node.put("at", bad.at().toString());
        }
        state.rollbackHold().ifPresentOrElse(hold -> {
            ObjectNode node = json.putObject("rollbackHold");
            node.put("version", hold.version());
            node.put("sequence", hold.sequence());
            node.put("at", hold.at().toString());
        }, () -> json.putNull("rollbackHold"));
        state.pending().ifPresentOrElse(pending -> {
            ObjectNode node = json.putObject("pending");
            node.put("version", pending.version());
            node.put("sequence", pending.sequence());
            node.put("previousVersion", pending.previousVersion().orElse(null));
        }, () -> json.putNull("pending"));
        putEvent(json, "lastEvent", state.lastEvent());
        putEvent(json, "lastError", state.lastError());
        return json;
    }

    private static void putEvent(ObjectNode json, String field, Optional<AgentState.Event> event) {
        event.ifPresentOrElse(value -> {
            ObjectNode node = json.putObject(field);
            node.put("event", value.name());
            node.put("code", value.code().orElse(null));
            node.put("message", value.message());
            node.put("at", value.at().toString());
        }, () -> json.putNull(field));
    }

    static AgentState fromJson(JsonNode json) {
        int schema = json.path("schemaVersion").asInt(-1);
        if (schema != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion " + schema + " is not " + SCHEMA_VERSION);
        }
        List<AgentState.BadVersion> bads = new ArrayList<>();
        for (JsonNode node : json.path("badVersions")) {
            bads.add(new AgentState.BadVersion(node.get("version").asText(), node.get("sequence").asLong(), node.get("reason").asText(),
                    Instant.parse(node.get("at").asText())));
        }
        Optional<AgentState.Hold> hold = object(json, "rollbackHold").map(node -> new AgentState.Hold(node.get("version").asText(),
                node.get("sequence").asLong(), Instant.parse(node.get("at").asText())));
        Optional<AgentState.PendingSwitch> pending = object(json, "pending").map(node -> new AgentState.PendingSwitch(node.get("version").asText(),
                node.get("sequence").asLong(), text(node, "previousVersion")));
        return new AgentState(text(json, "installedVersion"), json.path("installedSequence").asLong(0), text(json, "channelEtag"), bads, hold,
                pending, event(json, "lastEvent"), event(json, "lastError"));
    }

    private static Optional<AgentState.Event> event(JsonNode json, String field) {
        return object(json, field).map(node -> new AgentState.Event(node.get("event").asText(), text(node, "code"), node.get("message").asText(),
                Instant.parse(node.get("at").asText())));
    }

    private static Optional<JsonNode> object(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }
}
