package org.yolofleet.publish.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTextTest {
    @Test
    void markupCharactersBecomeReferences() {
        assertThat(HtmlText.escape("<img src=x onerror='a()'> & \"b\"")).isEqualTo("&lt;img src=x onerror=&#39;a()&#39;&gt; &amp; &quot;b&quot;");
    }

    @Test
    void plainTextAndNonAsciiStayAsTheyAre() {
        assertThat(HtmlText.escape("Platelets, Blutplättchen 血小板 0.5")).isEqualTo("Platelets, Blutplättchen 血小板 0.5");
    }

    @Test
    void controlCharactersOtherThanWhitespaceAreReplaced() {
        assertThat(HtmlText.escape("a\u0000b\u001bc\td\ne")).isEqualTo("a\uFFFDb\uFFFDc\td\ne");
    }
}
