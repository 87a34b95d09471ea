package org.yolofleet.dataset;

import org.yolofleet.core.image.TestPictures;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Annotation XML for tests, written the way LabelImg writes it; each part can be replaced. */
final class VocXml {
    private String filename;
    private String size = "";
    private final List<String> objects = new ArrayList<>();

    private VocXml(String filename) {
        this.filename = filename;
    }

    static VocXml annotation(String filename) {
        return new VocXml(filename);
    }

    VocXml size(int width, int height) {
        size = "\t<size>\n\t\t<width>" + width + "</width>\n\t\t<height>" + height + "</height>\n\t\t<depth>3</depth>\n\t</size>\n";
        return this;
    }

    VocXml object(String name, Object xmin, Object ymin, Object xmax, Object ymax) {
        return objectXml("\t<object>\n\t\t<name>" + name + "</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n"
                + "\t\t<difficult>0</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>" + xmin + "</xmin>\n\t\t\t<ymin>" + ymin + "</ymin>\n"
                + "\t\t\t<xmax>" + xmax + "</xmax>\n\t\t\t<ymax>" + ymax + "</ymax>\n\t\t</bndbox>\n\t</object>\n");
    }

    /** The two objects of {@link TestPictures#twoBoxes()}: a circle on the red box, a square on the blue one. */
    VocXml twoBoxes() {
        return object("circle", 20, 30, 70, 90).object("square", 100, 20, 150, 60);
    }

    VocXml objectXml(String xml) {
        objects.add(xml);
        return this;
    }

    String text() {
        return "<annotation>\n\t<folder>JPEGImages</folder>\n" + (filename == null ? "" : "\t<filename>" + filename + "</filename>\n")
                + "\t<path>/home/someone/JPEGImages/" + filename + "</path>\n\t<source>\n\t\t<database>Unknown</database>\n"
                + "\t</source>\n" + size + "\t<segmented>0</segmented>\n" + String.join("", objects) + "</annotation>\n";
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }
}
