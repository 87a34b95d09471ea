package org.yolofleet.prelabel;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.dataset.VocAnnotation;
import org.yolofleet.dataset.VocAnnotationParser;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

    /**
     * What LabelImg's reader ({@code PascalVocReader}) and CVAT's Pascal VOC import (datumaro's VOC detection extractor)
     * take from the file, read here with a strict XML parser as they read it with lxml/ElementTree: a well-formed UTF-8
     * document whose root is {@code <annotation>}; its {@code verified} attribute, which LabelImg turns into "verified"
     * only when it is {@code yes}; {@code <filename>} (LabelImg reads its text, datumaro finds the image by it);
     * {@code <size>} with integer {@code width}, {@code height} (datumaro's {@code int()}) and {@code depth}; per
     * {@code <object>} element (the score comment is no element) a {@code <name>}, {@code <difficult>} as an integer 0/1
     * (LabelImg's {@code int()}, datumaro's {@code == '1'}), {@code <truncated>} 0/1, {@code <pose>}, and a
     * {@code <bndbox>} of four integers (LabelImg's {@code int(float())}) inside the image, xmin <= xmax, ymin <= ymax.
     */
    @Test
    void theStructureLabelImgAndCvatReadIsThere() throws Exception {
        List<VocAnnotationWriter.Box> boxes = List.of(
                VocAnnotationWriter.Box.of("Platelets", 0.91, 3.6, 7.2, 40.1, 33.3, SIZE),
                VocAnnotationWriter.Box.of("RBC", 0.42, -5.0, 100.0, 170.0, 130.0, SIZE));
        byte[] xml = VocAnnotationWriter.write("JPEGImages", "000007.jpg", SIZE, 3, boxes);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Element root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();

        assertThat(root.getTagName()).isEqualTo("annotation");
        assertThat(root.getAttribute("verified")).as("unreviewed: anything but 'yes'").isEqualTo("no");
        assertThat(text(root, "folder")).isEqualTo("JPEGImages");
        assertThat(text(root, "filename")).isEqualTo("000007.jpg");
        assertThat(text(child(root, "source"), "database")).isNotBlank();
        Element size = child(root, "size");
        assertThat(Integer.parseInt(text(size, "width"))).isEqualTo(SIZE.width());
        assertThat(Integer.parseInt(text(size, "height"))).isEqualTo(SIZE.height());
        assertThat(Integer.parseInt(text(size, "depth"))).isEqualTo(3);
        assertThat(text(root, "segmented")).isEqualTo("0");

        List<Element> objects = children(root, "object");
        assertThat(objects).hasSize(boxes.size());
        for (int index = 0; index < objects.size(); index++) {
            Element object = objects.get(index);
            assertThat(text(object, "name")).isEqualTo(boxes.get(index).name());
            assertThat(text(object, "pose")).isEqualTo("Unspecified");
            assertThat(text(object, "truncated")).isIn("0", "1");
            assertThat(text(object, "difficult")).isIn("0", "1");
            Element box = child(object, "bndbox");
            int xmin = Integer.parseInt(text(box, "xmin"));
            int ymin = Integer.parseInt(text(box, "ymin"));
            int xmax = Integer.parseInt(text(box, "xmax"));
            int ymax = Integer.parseInt(text(box, "ymax"));
            assertThat(xmin).isBetween(1, xmax);
            assertThat(ymin).isBetween(1, ymax);
            assertThat(xmax).isLessThanOrEqualTo(SIZE.width());
            assertThat(ymax).isLessThanOrEqualTo(SIZE.height());
            assertThat(List.of(xmin, ymin, xmax, ymax)).containsExactly(boxes.get(index).xmin(), boxes.get(index).ymin(),
                    boxes.get(index).xmax(), boxes.get(index).ymax());
        }
    }

    @Test
    void theAnnotationFileIsNamedForItsImageAsTheToolsLookItUp() {
        // LabelImg opens <image name without extension>.xml from the save directory; CVAT matches an item id (the XML's
        // base name) to the frame of the same name
        assertThat(PrelabelStage.annotationName("000007.jpg")).isEqualTo("000007.xml");
        assertThat(PrelabelStage.annotationName("site.7.night.png")).isEqualTo("site.7.night.xml");
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent();
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
