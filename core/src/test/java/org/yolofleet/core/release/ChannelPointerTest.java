package org.yolofleet.core.release;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.yolofleet.core.release.ReleaseFixtures.bytes;
import static org.yolofleet.core.release.ReleaseFixtures.text;

class ChannelPointerTest {
    @Test
    void pointsAtAManifestAndRemembersTheVersionItReplaced() {
        ReleaseManifest first = ReleaseFixtures.manifest("v1", 1, List.of());
        ChannelPointer initial = ChannelPointer.to(first, first.toJson(), "stable", Instant.parse("2026-12-06T18:00:00Z"), Optional.empty());
        ReleaseManifest second = ReleaseFixtures.manifest("v2", 2, List.of());
        ChannelPointer next = ChannelPointer.to(second, second.toJson(), "stable", Instant.parse("2026-12-07T18:00:00Z"), Optional.of(initial));
        assertThat(next.previousVersion()).contains("v1");
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.manifestSha256()).isEqualTo(Sha256.of(second.toJson()).hex()).isNotEqualTo(initial.manifestSha256());
        for (ChannelPointer pointer : List.of(initial, next)) {
            assertThat(ChannelPointer.fromJson(pointer.toJson())).isEqualTo(pointer);
            assertThat(ChannelPointer.fromJson(pointer.toJson()).toJson()).isEqualTo(pointer.toJson());
        }
        assertThat(text(initial.toJson())).contains("\"previousVersion\": null", "\"updatedAt\": \"2026-12-06T18:00:00Z\"");
    }

    @Test
    void readsStrictly() {
        ReleaseManifest manifest = ReleaseFixtures.manifest("v1", 1, List.of());
        String json = text(ChannelPointer.to(manifest, manifest.toJson(), "stable", Instant.EPOCH, Optional.empty()).toJson());
        assertThatThrownBy(() -> ChannelPointer.fromJson(bytes(json.replaceFirst("\\s*\"manifestSha256\": \"[0-9a-f]+\",", ""))))
                .hasMessageContaining("required field 'manifestSha256' is missing");
        assertThatThrownBy(() -> ChannelPointer.fromJson(bytes(json.replace("\"updatedAt\": \"1970-01-01T00:00:00Z\"", "\"updatedAt\": \"yesterday\""))))
                .hasMessageContaining("'updatedAt' must be an ISO-8601 UTC instant");
        assertThatThrownBy(() -> ChannelPointer.fromJson(bytes(json.replace("\"schemaVersion\": 1", "\"schemaVersion\": 0"))))
                .hasMessageContaining("supports channel pointer schema version 1 only");
    }
}
