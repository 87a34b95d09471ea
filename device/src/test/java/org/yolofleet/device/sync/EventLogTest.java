package org.yolofleet.device.sync;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class EventLogTest {
    @Test
    void printsOneLogfmtLinePerEventQuotingWhatNeedsIt() {
        StringWriter text = new StringWriter();
        EventLog log = new EventLog(new PrintWriter(text));

        log.event("refused", "code", "RELEASE_SIGNATURE", "reason", "key 3f9c is not \"trusted\"\nat all", "sequence", 7);
        log.event("not-modified", "version", "2026.12.06-1");

        assertThat(text.toString().split("\n")).containsExactly(
                "event=refused code=RELEASE_SIGNATURE reason=\"key 3f9c is not \\\"trusted\\\"\\nat all\" sequence=7",
                "event=not-modified version=2026.12.06-1");
    }
}
