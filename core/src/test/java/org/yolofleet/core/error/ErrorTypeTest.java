package org.yolofleet.core.error;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;

class ErrorTypeTest {
    @Test
    void eachTypeHasItsDocumentedExitCode() {
        // the table in ErrorType's javadoc and README "Exit codes": launchers depend on these numbers
        Map<ErrorType, Integer> exitCodes = Arrays.stream(ErrorType.values()).collect(toMap(type -> type, ErrorType::exitCode));
        assertThat(exitCodes).containsExactlyInAnyOrderEntriesOf(Map.of(
                ErrorType.USER, 3,
                ErrorType.BAD_DATA, 4,
                ErrorType.EXTERNAL, 5,
                ErrorType.REFUSED, 6,
                ErrorType.INTERNAL, 70));
    }

    @Test
    void exitCodesAreDistinctAndLeaveSuccessCrashAndUsageFree() {
        assertThat(Arrays.stream(ErrorType.values()).map(ErrorType::exitCode))
                .doesNotHaveDuplicates()
                .doesNotContain(0, 1, 2)
                .allMatch(exitCode -> exitCode < 126, "below the shell's 126+ (not executable, not found, signals)");
    }

    @Test
    void onlyExternalFailuresAreRetryable() {
        assertThat(Arrays.stream(ErrorType.values()).filter(ErrorType::retryable)).containsExactly(ErrorType.EXTERNAL);
    }
}
