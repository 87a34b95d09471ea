package org.yolofleet.core.error;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;

class ErrorCodeTest {
    @Test
    void everyCodeHasItsType() {
        // a code moving to another type changes the exit code a launcher sees: make it a deliberate change
        Map<ErrorCode, ErrorType> types = Arrays.stream(ErrorCode.values()).collect(toMap(code -> code, ErrorCode::type));
        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry(ErrorCode.CONFIG, ErrorType.USER),
                Map.entry(ErrorCode.NOT_FOUND, ErrorType.USER),
                Map.entry(ErrorCode.OUTPUT_EXISTS, ErrorType.USER),
                Map.entry(ErrorCode.NOTHING_TO_TRAIN, ErrorType.USER),
                Map.entry(ErrorCode.BAD_ANNOTATION, ErrorType.BAD_DATA),
                Map.entry(ErrorCode.CORRUPT_IMAGE, ErrorType.BAD_DATA),
                Map.entry(ErrorCode.BAD_DATASET, ErrorType.BAD_DATA),
                Map.entry(ErrorCode.BAD_MODEL_SPEC, ErrorType.BAD_DATA),
                Map.entry(ErrorCode.BAD_WEIGHTS, ErrorType.BAD_DATA),
                Map.entry(ErrorCode.QUARANTINE_THRESHOLD, ErrorType.BAD_DATA),
                Map.entry(ErrorCode.BAD_RELEASE, ErrorType.BAD_DATA),
                Map.entry(ErrorCode.S3_ACCESS, ErrorType.EXTERNAL),
                Map.entry(ErrorCode.IO, ErrorType.EXTERNAL),
                Map.entry(ErrorCode.COMPILER_FAILED, ErrorType.EXTERNAL),
                Map.entry(ErrorCode.EXPORT_MISMATCH, ErrorType.REFUSED),
                Map.entry(ErrorCode.MAP_REGRESSION, ErrorType.REFUSED),
                Map.entry(ErrorCode.TRAINING_DIVERGED, ErrorType.REFUSED),
                Map.entry(ErrorCode.RELEASE_SIGNATURE, ErrorType.REFUSED),
                Map.entry(ErrorCode.RELEASE_TAMPERED, ErrorType.REFUSED),
                Map.entry(ErrorCode.CHANNEL_CONFLICT, ErrorType.REFUSED),
                Map.entry(ErrorCode.RELEASE_NOT_NEWER, ErrorType.REFUSED),
                Map.entry(ErrorCode.HEALTH_CHECK_FAILED, ErrorType.REFUSED),
                Map.entry(ErrorCode.INTERNAL, ErrorType.INTERNAL)));
    }
}
