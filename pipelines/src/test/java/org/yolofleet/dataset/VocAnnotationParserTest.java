package org.yolofleet.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;
import org.yolofleet.dataset.VocAnnotation.VocBox;
import org.yolofleet.dataset.VocAnnotation.VocObject;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocAnnotationParserTest {
    private static final String LABELIMG = """
            <annotation verified="yes">
            \t<folder>JPEGImages</folder>
            \t<filename>000042.jpg</filename>
            \t<path>/home/annotator/data/JPEGImages/000042.jpg</path>
            \t<source>
            \t\t<database>Unknown</database>
            \t</source>
            \t<size>
            \t\t<width>500</width>
            \t\t<height>375</height>
            \t\t<depth>3</depth>
            \t</size>
            \t<segmented>0</segmented>
            \t<object>
            \t\t<name>car</name>
            \t\t<pose>Left</pose>
            \t\t<truncated>1</truncated>
            \t\t<difficult>0</difficult>
            \t\t<bndbox>
            \t\t\t<xmin>12</xmin>
            \t\t\t<ymin>30</ymin>
            \t\t\t<xmax>200</xmax>
            \t\t\t<ymax>175</ymax>
            \t\t</bndbox>
            \t</object>
            \t<object>
            \t\t<name>person</name>
            \t\t<pose>Unspecified</pose>
            \t\t<truncated>0</truncated>
            \t\t<difficult>1</difficult>
            \t\t<bndbox>
            \t\t\t<xmin>250.5</xmin>
            \t\t\t<ymin>40.25</ymin>
            \t\t\t<xmax>300</xmax>
            \t\t\t<ymax>370</ymax>
            \t\t</bndbox>
            \t</object>
            </annotation>
            """;

    private final VocAnnotationParser parser = new VocAnnotationParser();

    @Test
    void readsWhatTheDatasetNeeds() {
        VocAnnotation annotation = parse(LABELIMG);

        assertThat(annotation.filename()).contains("000042.jpg");
        assertThat(annotation.declaredSize()).contains(new ImageSize(500, 375));
        assertThat(annotation.objects()).hasSize(2);
        VocObject car = annotation.objects().get(0);
        assertThat(car.name()).contains("car");
        assertThat(car.box()).hasValueSatisfying(box -> assertThat(box).isEqualTo(new VocBox(12, 30, 200, 175,
                "xmin='12' ymin='30' xmax='200' ymax='175'")));
        assertThat(car.truncated()).isTrue();
        assertThat(car.difficult()).isFalse();
        assertThat(car.missingFields()).isEmpty();
        VocObject person = annotation.objects().get(1);
        assertThat(person.box().orElseThrow().xmin()).isEqualTo(250.5);
        assertThat(person.box().orElseThrow().ymin()).isEqualTo(40.25);
        assertThat(person.difficult()).isTrue();
        assertThat(person.truncated()).isFalse();
    }

    @Test
    void independentOfTagOrderAndWhitespace() {
        String reordered = "<annotation><object><bndbox><ymax>175</ymax><xmax>200</xmax><ymin>30</ymin><xmin>12</xmin></bndbox>"
                + "<difficult>0</difficult><truncated>1</truncated><name>car</name></object><size><height>375</height>"
                + "<width>500</width></size><object><difficult> 1 </difficult><bndbox><xmin> 250.5 </xmin><ymin>40.25</ymin>"
                + "<xmax>300</xmax><ymax>370</ymax></bndbox><name>\n  person\n</name></object><filename> 000042.jpg </filename>"
                + "</annotation>";

        VocAnnotation annotation = parse(reordered);

        VocAnnotation expected = parse(LABELIMG);
        assertThat(annotation.filename()).isEqualTo(expected.filename());
        assertThat(annotation.declaredSize()).isEqualTo(expected.declaredSize());
        assertThat(annotation.objects()).extracting(VocObject::name).isEqualTo(expected.objects().stream().map(VocObject::name).toList());
        assertThat(annotation.objects()).extracting(object -> object.box().map(box -> List.of(box.xmin(), box.ymin(), box.xmax(),
                box.ymax()))).isEqualTo(expected.objects().stream().map(object -> object.box().map(box -> List.of(box.xmin(), box.ymin(),
                box.xmax(), box.ymax()))).toList());
        assertThat(annotation.objects()).extracting(VocObject::difficult).containsExactly(false, true);
    }

    @Test
    void partsAndAttributesInsideAnObjectAreNotTheObject() {
        String xml = """
                <annotation>
                  <filename>person.jpg</filename>
                  <object>
                    <name>person</name>
                    <occluded>1</occluded>
                    <part><name>hand</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></part>
                    <bndbox><xmin>10</xmin><ymin>20</ymin><xmax>110</xmax><ymax>220</ymax></bndbox>
                    <attributes><attribute><name>rotation</name><value>0.0</value></attribute></attributes>
                  </object>
                </annotation>
                """;

        VocObject person = parse(xml).objects().get(0);

        assertThat(person.name()).contains("person");
        assertThat(person.box().orElseThrow().xmax()).isEqualTo(110);
        assertThat(parse(xml).objects()).hasSize(1);
    }

    @Test
    void entitiesOfXmlItselfAndCdataAreRead() {
        VocAnnotation annotation = parse("<annotation><filename>caf&#233; &amp; bar.jpg</filename>"
                + "<object><name><![CDATA[circle]]></name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox>"
                + "</object></annotation>");

        assertThat(annotation.filename()).contains("café & bar.jpg");
        assertThat(annotation.objects().get(0).name()).contains("circle");
    }

    @Test
    void numbersThatAreNotDecimalsBecomeNaN() {
        assertThat(VocAnnotationParser.number("12")).isEqualTo(12);
        assertThat(VocAnnotationParser.number(" -3.5 ")).isEqualTo(-3.5);
        assertThat(VocAnnotationParser.number("1e2")).isEqualTo(100);
        assertThat(VocAnnotationParser.number(".5")).isEqualTo(0.5);
        assertThat(VocAnnotationParser.number("NaN")).isNaN();
        assertThat(VocAnnotationParser.number("12.5f")).as("Java's float suffix is no VOC number").isNaN();
        assertThat(VocAnnotationParser.number("0x10")).isNaN();
        assertThat(VocAnnotationParser.number("")).isNaN();
        assertThat(VocAnnotationParser.number("1,5")).isNaN();
        assertThat(VocAnnotationParser.number("1e999")).isInfinite();
    }

    @Test
    void missingFieldsAreNamed() {
        VocAnnotation annotation = parse("<annotation><object><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax></bndbox></object>"
                + "<object><name>car</name></object><object><name> </name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax>"
                + "<ymax></ymax></bndbox></object></annotation>");

        assertThat(annotation.objects()).extracting(VocObject::missingFields).containsExactly(List.of("name", "bndbox/ymax"),
                List.of("bndbox"), List.of("name", "bndbox/ymax"));
        assertThat(annotation.objects()).allSatisfy(object -> assertThat(object.box()).isEmpty());
        assertThat(annotation.filename()).isEmpty();
        assertThat(annotation.declaredSize()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<width>0</width><height>375</height>", "<width>abc</width><height>375</height>",
            "<width>500.5</width><height>375</height>", "<width>500</width>", "<width>-500</width><height>375</height>"})
    void aSizeThatIsNotTwoPositiveIntegersIsNotDeclared(String size) {
        assertThat(parse("<annotation><size>" + size + "</size></annotation>").declaredSize()).isEmpty();
    }

    @Test
    void aSizeWrittenAsDecimalIntegerIsDeclared() {
        assertThat(parse("<annotation><size><width>500.0</width><height>375</height></size></annotation>").declaredSize())
                .isEqualTo(Optional.of(new ImageSize(500, 375)));
    }

    @Test
    void anyDoctypeIsRefusedSoEntitiesAreNeverExpanded() {
        assertRejected("<!DOCTYPE annotation><annotation/>", QuarantineReason.XML_FORBIDDEN_DOCTYPE);
        assertRejected("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><annotation>&x;</annotation>",
                QuarantineReason.XML_FORBIDDEN_DOCTYPE);
        assertRejected("<!DOCTYPE a [<!ENTITY % remote SYSTEM \"http://127.0.0.1:1/x.dtd\"> %remote;]><annotation/>",
                QuarantineReason.XML_FORBIDDEN_DOCTYPE);
    }

    @Test
    void brokenXmlIsMalformed() {
        assertRejected("<annotation><filename>x.jpg</annotation>", QuarantineReason.XML_MALFORMED);
        assertRejected("<annotation><filename>x.jpg</filename>", QuarantineReason.XML_MALFORMED);
        assertRejected("<annotation>&undeclared;</annotation>", QuarantineReason.XML_MALFORMED);
        assertRejected("<annotation>\u0001</annotation>", QuarantineReason.XML_MALFORMED);
        assertRejected("not xml at all", QuarantineReason.XML_MALFORMED);
    }

    @Test
    void emptyFilesAreEmpty() {
        assertRejected(new byte[0], QuarantineReason.XML_EMPTY);
        assertRejected("  \r\n\t ", QuarantineReason.XML_EMPTY);
        assertRejected(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, QuarantineReason.XML_EMPTY);
    }

    @Test
    void aRootOtherThanAnnotationIsNotVoc() {
        assertRejected("<?xml version=\"1.0\"?><!-- a comment --><coco><images/></coco>", QuarantineReason.XML_MISSING_FIELD);
    }

    @Test
    void encodingIsCheckedStrictly() {
        byte[] invalidUtf8 = "<annotation><filename>caf\u00E9.jpg</filename></annotation>".getBytes(StandardCharsets.ISO_8859_1);
        assertRejected(invalidUtf8, QuarantineReason.XML_ENCODING);
        assertRejected("<?xml version='1.0' encoding='klingon'?><annotation/>", QuarantineReason.XML_ENCODING);
        assertRejected("<?xml version=\"1.0\" encoding=\"UTF-16\"?><annotation/>", QuarantineReason.XML_ENCODING);
        assertRejected(concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, new byte[] {0, '<', (byte) 0xD8, 0x00}), QuarantineReason.XML_ENCODING);
    }

    @Test
    void declaredAndMarkedEncodingsAreHonoured() {
        String text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><annotation><filename>Zoë.jpg</filename></annotation>";
        assertThat(parser.parse(text.getBytes(StandardCharsets.ISO_8859_1)).filename()).contains("Zoë.jpg");
        String windows = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><annotation><filename>€.jpg</filename></annotation>";
        assertThat(parser.parse(windows.getBytes(Charset.forName("windows-1252"))).filename()).contains("€.jpg");
        String utf8 = "<annotation><filename>Zoë.jpg</filename></annotation>";
        assertThat(parser.parse(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8.getBytes(StandardCharsets.UTF_8)))
                .filename()).contains("Zoë.jpg");
        assertThat(parser.parse(utf8.getBytes(StandardCharsets.UTF_16LE)).filename()).as("UTF-16 without a mark").contains("Zoë.jpg");
        assertThat(parser.parse(("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + utf8).getBytes(StandardCharsets.UTF_16)).filename())
                .contains("Zoë.jpg");
    }

    @Test
    void theReasonsDetailSaysWhere() {
        assertThatThrownBy(() -> parser.parse("<annotation>\n<filename>x</annotation>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RecordRejectedException.class, rejected -> assertThat(rejected.detail()).contains("[2,"));
        byte[] bad = "<annotation>ab\u00FF</annotation>".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> parser.parse(bad)).isInstanceOfSatisfying(RecordRejectedException.class,
                rejected -> assertThat(rejected.detail()).isEqualTo("not valid UTF-8 at byte 14: FF"));
    }

    private VocAnnotation parse(String xml) {
        return parser.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRejected(String xml, QuarantineReason reason) {
        assertRejected(xml.getBytes(StandardCharsets.UTF_8), reason);
    }

    private void assertRejected(byte[] xml, QuarantineReason reason) {
        assertThatThrownBy(() -> parser.parse(xml)).isInstanceOfSatisfying(RecordRejectedException.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(reason));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
