package org.yolofleet.publish.compile;

import org.junit.jupiter.api.Test;
import org.yolofleet.publish.compile.CommandTemplate.Placeholder;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandTemplateTest {
    @Test
    void everyPlaceholderIsReplacedWhereverItStandsInAnArgument() {
        CommandTemplate template = new CommandTemplate(List.of("tool", "${input}", "--out=${output}", "${workdir}/${config}", "-s", "12"));

        List<String> arguments = template.substitute(Map.of(
                Placeholder.INPUT, "exports/model.pb",
                Placeholder.OUTPUT, "compile-dir/model.graph",
                Placeholder.WORKDIR, "compile-dir",
                Placeholder.CONFIG, "my$conf"));

        assertThat(arguments).containsExactly("tool", "exports/model.pb", "--out=compile-dir/model.graph", "compile-dir/my$conf", "-s", "12");
        assertThat(template.placeholders()).containsExactlyInAnyOrder(Placeholder.values());
        assertThat(template.program()).isEqualTo("tool");
    }

    @Test
    void anUnknownPlaceholderIsRefusedWithTheArgumentAndTheAllowedOnes() {
        assertThatThrownBy(() -> new CommandTemplate(List.of("tool", "${input}", "-o", "${ouput}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown placeholder ${ouput} in argument 4 ('${ouput}'); allowed: ${input}, ${output}, ${workdir}, ${config}");
    }

    @Test
    void theProgramHoldsNoPlaceholderAndACommandIsNotEmpty() {
        assertThatThrownBy(() -> new CommandTemplate(List.of("${workdir}/tool", "${input}"))).hasMessageContaining("cannot hold a placeholder");
        assertThatThrownBy(() -> new CommandTemplate(List.of())).hasMessageContaining("at least the program");
    }

    @Test
    void aPlaceholderWithoutAValueIsNamed() {
        CommandTemplate template = new CommandTemplate(List.of("tool", "-c", "${config}"));

        assertThatThrownBy(() -> template.substitute(Map.of(Placeholder.INPUT, "x"))).hasMessageContaining("no value for ${config}");
    }
}
