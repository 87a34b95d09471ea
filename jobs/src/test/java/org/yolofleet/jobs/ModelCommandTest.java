package org.yolofleet.jobs;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorType;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.darknet.DarknetCfgReader;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ModelCommandTest {
    @Test
    void printsTheBuiltInNetworkWithDarknetsFlops() {
        CommandLineRun run = CommandLineRun.of("model");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("6.97").contains("13x13").contains("125");
    }

    @Test
    void changesClassesAndSizeAndWritesTheCfg(@TempDir Path directory) {
        Path written = directory.resolve("tiny-3.cfg");
        CommandLineRun run = CommandLineRun.of("model", "--classes", "3", "--size", "160", "--write-cfg", written.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(DarknetCfgReader.read(written).classCount()).isEqualTo(3);
        assertThat(DarknetCfgReader.read(written).width()).isEqualTo(160);
        assertThat(run.out()).contains("5x5").contains("40"); // 5 anchors x (5 + 3) filters at a 5x5 grid
    }

    @Test
    void aBadCfgIsAClearError(@TempDir Path directory) throws Exception {
        Path cfg = directory.resolve("bad.cfg");
        java.nio.file.Files.writeString(cfg, "[net]\nwidth=416\nheight=416\n[convolutional]\nfliters=16\n");
        CommandLineRun run = CommandLineRun.of("model", "--cfg", cfg.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorType.BAD_DATA.exitCode());
        assertThat(run.err()).contains("[BAD_MODEL_SPEC]").contains("line 5").contains("fliters");
    }
}
