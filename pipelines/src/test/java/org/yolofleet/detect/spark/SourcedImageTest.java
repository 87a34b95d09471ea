package org.yolofleet.detect.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourcedImageTest {
    @TempDir
    Path directory;

    @Test
    void directoriesGiveTheirImagesByNameWithTheDirectoryAsGivenAsSource() throws IOException {
        Path site = Files.createDirectories(directory.resolve("site-7"));
        for (String name : List.of("b.JPG", "a.png", "notes.txt", ".hidden.jpg", "_SUCCESS", "c.tiff")) {
            Files.writeString(site.resolve(name), "x");
        }
        Files.createDirectories(site.resolve("nested.jpg"));

        List<SourcedImage> images = SourcedImage.resolve(List.of(site + "/"), new Configuration());

        assertThat(images).containsExactly(new SourcedImage(site.resolve("a.png").toString(), site.toString()),
                new SourcedImage(site.resolve("b.JPG").toString(), site.toString()),
                new SourcedImage(site.resolve("c.tiff").toString(), site.toString()));
    }

    @Test
    void aFileGivenByItselfHasItsParentAsSource() throws IOException {
        Path image = Files.writeString(Files.createDirectories(directory.resolve("night")).resolve("a.jpg"), "x");

        assertThat(SourcedImage.resolve(List.of(image.toString()), new Configuration()))
                .containsExactly(new SourcedImage(image.toString(), image.getParent().toString()));
        assertThat(SourcedImage.parent("a.jpg")).isEqualTo(".");
        assertThat(SourcedImage.parent("s3a://photos/site-7/a.jpg")).isEqualTo("s3a://photos/site-7");
        assertThat(SourcedImage.parent("s3a://photos/a.jpg")).isEqualTo("s3a://photos");
        assertThat(SourcedImage.parent("/a.jpg")).isEqualTo("/");
    }

    @Test
    void aMissingInputOrNoImagesFailNamingTheInputs() throws IOException {
        String missing = directory.resolve("nowhere").toString();
        assertThatThrownBy(() -> SourcedImage.resolve(List.of(missing), new Configuration()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(missing);
        Path empty = Files.createDirectories(directory.resolve("empty"));
        Files.writeString(empty.resolve("readme.md"), "x");
        assertThatThrownBy(() -> SourcedImage.resolve(List.of(empty.toString()), new Configuration()))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining(empty.toString()).hasMessageContaining("jpg");
    }
}
