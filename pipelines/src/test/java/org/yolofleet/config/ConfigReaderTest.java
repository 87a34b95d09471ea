package org.yolofleet.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigReaderTest {
    private static ConfigReader reader(String hocon) {
        return new ConfigReader(ConfigFactory.parseString(hocon), "yolofleet.train");
    }

    @Test
    void listsOfNumbersAreReadAsWritten() {
        ConfigReader reader = reader("yolofleet.train { steps = [400, \"800\"], scales = [0.1, 2, \"0.5\"], none = [] }");

        assertThat(reader.longIntegers("steps", 0, 1000)).containsExactly(400L, 800L);
        assertThat(reader.positiveNumbers("scales")).containsExactly(0.1, 2.0, 0.5);
        assertThat(reader.longIntegers("none", 0, 1000)).isEmpty();
        assertThat(reader.positiveNumbers("none")).isEmpty();
    }

    @Test
    void aBadElementIsRefusedNamingTheKeyTheElementAndWhatIsAllowed() {
        ConfigReader reader = reader("yolofleet.train { fraction = [1.5], big = [2000], zero = [0.1, 0], word = [ten], wrong = 3 }");

        assertThatThrownBy(() -> reader.longIntegers("fraction", 0, 1000))
                .isInstanceOf(YoloFleetException.class)
                .satisfies(failure -> assertThat(((YoloFleetException) failure).code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("[CONFIG] yolofleet.train.fraction: '1.5' is not a whole number; allowed: whole numbers in [0, 1000]");
        assertThatThrownBy(() -> reader.longIntegers("big", 0, 1000))
                .hasMessage("[CONFIG] yolofleet.train.big: 2000 is out of range: allowed [0, 1000]");
        assertThatThrownBy(() -> reader.positiveNumbers("zero"))
                .hasMessage("[CONFIG] yolofleet.train.zero: '0' is not allowed: positive numbers only");
        assertThatThrownBy(() -> reader.positiveNumbers("word"))
                .hasMessage("[CONFIG] yolofleet.train.word: 'ten' is not allowed: positive numbers only");
        assertThatThrownBy(() -> reader.longIntegers("wrong", 0, 1000))
                .hasMessageStartingWith("[CONFIG] yolofleet.train.wrong: expected a list");
        assertThatThrownBy(() -> reader.positiveNumbers("missing"))
                .hasMessage("[CONFIG] yolofleet.train.missing is missing");
    }
}
