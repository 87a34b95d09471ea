package org.yolofleet.prelabel;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.dataset.VocAnnotation;
import org.yolofleet.dataset.VocAnnotationParser;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The written XML reads back with prepare's own VOC parser, names escaped, boxes in VOC's 1-based integer pixels. */
class VocAnnotationWriterTest {
    private static final ImageSize SIZE = new ImageSize(160, 120);

    @Test
    void writtenAnnotationParsesBackWithTheBoxesNamesAndSize() {
        List<VocAnnotationWriter.Box> boxes = List.of(
                VocAnnotationWriter.Box.of("RBC", 0.87654, 10.4, 20.6, 50.5, 80.49, SIZE),
                VocAnnotationWriter.Box.of("a<b & \"c\"", 0.3, 0.0, 0.0, 160.0, 120.0, SIZE));

        byte[] xml = VocAnnotationWriter.write("JPEGImages", "site 7 & co.jpg", SIZE, 3, boxes);
        VocAnnotation parsed = new VocAnnotationParser().parse(xml);

        assertThat(parsed.filename()).contains("site 7 & co.jpg");
        assertThat(parsed.declaredSize()).contains(SIZE);
        assertThat(parsed.objects()).hasSize(2);
        assertThat(parsed.objects().get(1).name()).contains("a<b & \"c\"");
        VocAnnotation.VocBox first = parsed.objects().get(0).box().orElseThrow();
        assertThat(List.of(first.xmin(), first.ymin(), first.xmax(), first.ymax())).containsExactly(11.0, 22.0, 51.0, 80.0);
        VocAnnotation.VocBox whole = parsed.objects().get(1).box().orElseThrow();
        assertThat(List.of(whole.xmin(), whole.ymin(), whole.xmax(), whole.ymax())).containsExactly(1.0, 1.0, 160.0, 120.0);
        assertThat(parsed.objects()).allSatisfy(object -> {
            assertThat(object.difficult()).isFalse();
            assertThat(object.truncated()).isFalse();
            assertThat(object.missingFields()).isEmpty();
        });
    }

    @Test
    void reviewStateAndScoreAreWhereTheToolsLookOrIgnore() {
        String xml = new String(VocAnnotationWriter.write("JPEGImages", "a.jpg", SIZE, 3,
                List.of(VocAnnotationWriter.Box.of("WBC", 0.61237, 1, 1, 30, 30, SIZE))), StandardCharsets.UTF_8);

        assertThat(xml).startsWith("<annotation verified=\"no\">").contains("<verified>no</verified>")
                .contains("<!-- score 0.6124 -->").contains("<pose>Unspecified</pose>").contains("<depth>3</depth>");
    }

    @Test
    void anImageWithoutDetectionsGetsAnAnnotationWithoutObjects() {
        VocAnnotation parsed = new VocAnnotationParser().parse(VocAnnotationWriter.write("JPEGImages", "empty.png", SIZE, 3, List.of()));

        assertThat(parsed.objects()).isEmpty();
        assertThat(parsed.declaredSize()).contains(SIZE);
    }

    @Test
    void boxesAreClampedToTheImageAndThinOnesHaveNoArea() {
        VocAnnotationWriter.Box outside = VocAnnotationWriter.Box.of("RBC", 0.5, -3.0, -0.2, 170.0, 121.0, SIZE);
        VocAnnotationWriter.Box thin = VocAnnotationWriter.Box.of("RBC", 0.5, 10.2, 10.0, 10.7, 40.0, SIZE);

        assertThat(List.of(outside.xmin(), outside.ymin(), outside.xmax(), outside.ymax())).containsExactly(1, 1, 160, 120);
        assertThat(outside.atLeast(2)).isTrue();
        assertThat(thin.atLeast(1)).as("x from 11 to 11").isFalse();
        assertThat(VocAnnotationWriter.Box.of("RBC", 0.5, 10.0, 10.0, 12.0, 40.0, SIZE).atLeast(2)).as("x from 11 to 12").isFalse();
        assertThat(VocAnnotationWriter.Box.of("RBC", 0.5, 10.0, 10.0, 13.0, 40.0, SIZE).atLeast(2)).as("x from 11 to 13").isTrue();
    }

    @Test
    void charactersXmlCannotHoldAreReplaced() {
        assertThat(VocAnnotationWriter.escape("a\u0001b<")).isEqualTo("a\uFFFDb&lt;");
    }
}
