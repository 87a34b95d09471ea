package org.yolofleet.dataset;

import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;
import org.yolofleet.dataset.VocAnnotation.VocBox;
import org.yolofleet.dataset.VocAnnotation.VocObject;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one Pascal VOC annotation with a hardened StAX parser: DTDs are refused outright (a {@code <!DOCTYPE>} is
 * {@link QuarantineReason#XML_FORBIDDEN_DOCTYPE}, so external entities and entity expansion never happen), the
 * encoding is checked strictly, and only the fields the dataset needs are read — by element path, so tag order,
 * whitespace, attributes ({@code verified="yes"}) and optional fields (pose, truncated, occluded, segmented, parts,
 * an absolute {@code <path>}) do not matter.
 *
 * <p>Not thread-safe: use one parser per thread.
 */
public final class VocAnnotationParser {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final List<String> COORDINATES = List.of("xmin", "ymin", "xmax", "ymax");
    private static final int MAX_MESSAGE_LENGTH = 300;

    private final XMLInputFactory factory;

    public VocAnnotationParser() {
        // The JDK's own implementation, whatever else (Woodstox from Hadoop) is on the class path: same behaviour everywhere.
        factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    /**
     * @throws RecordRejectedException with XML_EMPTY, XML_ENCODING, XML_MALFORMED, XML_FORBIDDEN_DOCTYPE or
     *                                 XML_MISSING_FIELD (the root is not {@code <annotation>})
     */
    public VocAnnotation parse(byte[] xml) {
        String text = XmlText.decode(xml);
        if (text.isBlank()) {
            throw new RecordRejectedException(QuarantineReason.XML_EMPTY, "the file holds only white space (" + xml.length + " bytes)");
        }
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(text));
            try {
                return read(reader);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException malformed) {
            throw new RecordRejectedException(QuarantineReason.XML_MALFORMED, message(malformed), malformed);
        }
    }

    private static VocAnnotation read(XMLStreamReader reader) throws XMLStreamException {
        List<String> path = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Map<String, String> fields = new HashMap<>();
        List<VocObject> objects = new ArrayList<>();
        Map<String, String> objectFields = null;
        boolean sawRoot = false;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.DTD -> throw new RecordRejectedException(QuarantineReason.XML_FORBIDDEN_DOCTYPE,
                        "a <!DOCTYPE> at line " + reader.getLocation().getLineNumber() + ": DTDs and entities are refused");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new RecordRejectedException(QuarantineReason.XML_MALFORMED,
                        "the undeclared entity &" + reader.getLocalName() + "; at line " + reader.getLocation().getLineNumber());
                case XMLStreamConstants.START_ELEMENT -> {
                    String name = reader.getLocalName();
                    if (!sawRoot) {
                        sawRoot = true;
                        if (!name.equals("annotation")) {
                            throw new RecordRejectedException(QuarantineReason.XML_MISSING_FIELD,
                                    "the root element is <" + name + ">, not a VOC <annotation>");
                        }
                    }
                    path.add(name);
                    text.setLength(0);
                    if (path.size() == 2 && name.equals("object")) {
                        objectFields = new HashMap<>();
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (capturing(path)) {
                        text.append(reader.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    String key = String.join("/", path.subList(Math.min(1, path.size()), path.size()));
                    if (path.size() >= 3 && path.get(1).equals("object") && objectFields != null) {
                        objectFields.putIfAbsent(key.substring("object/".length()), text.toString().strip());
                    } else if (path.size() >= 2 && capturing(path)) {
                        fields.putIfAbsent(key, text.toString().strip());
                    }
                    if (path.size() == 2 && path.get(1).equals("object") && objectFields != null) {
                        objects.add(object(objectFields));
                        objectFields = null;
                    }
                    path.remove(path.size() - 1);
                    text.setLength(0);
                }
                default -> {
                    // comments, processing instructions, the end of the document: nothing to read
                }
            }
        }
        return new VocAnnotation(nonBlank(fields.get("filename")), size(fields.get("size/width"), fields.get("size/height")),
                objects);
    }

    /** The elements whose text is read: top-level fields, size, and the direct fields and box of an object. */
    private static boolean capturing(List<String> path) {
        int depth = path.size();
        if (depth == 2) {
            return path.get(1).equals("filename");
        }
        if (depth == 3) {
            return path.get(1).equals("size") || path.get(1).equals("object");
        }
        return depth == 4 && path.get(1).equals("object") && path.get(2).equals("bndbox");
    }

    private static VocObject object(Map<String, String> fields) {
        List<String> missing = new ArrayList<>();
        Optional<String> name = nonBlank(fields.get("name"));
        if (name.isEmpty()) {
            missing.add("name");
        }
        Optional<VocBox> box = Optional.empty();
        if (!fields.containsKey("bndbox")) {
            missing.add("bndbox");
        } else {
            List<String> raw = new ArrayList<>();
            for (String coordinate : COORDINATES) {
                String value = fields.get("bndbox/" + coordinate);
                if (value == null || value.isEmpty()) {
                    missing.add("bndbox/" + coordinate);
                }
                raw.add(coordinate + "=" + (value == null ? "(missing)" : "'" + value + "'"));
            }
            if (missing.stream().noneMatch(field -> field.startsWith("bndbox/"))) {
                box = Optional.of(new VocBox(number(fields.get("bndbox/xmin")), number(fields.get("bndbox/ymin")),
                        number(fields.get("bndbox/xmax")), number(fields.get("bndbox/ymax")), String.join(" ", raw)));
            }
        }
        return new VocObject(name, box, flag(fields.get("difficult")), flag(fields.get("truncated")), missing);
    }

    /** A decimal number as annotation tools write it ({@code 12}, {@code 12.5}, {@code 1e2}); anything else is NaN. */
    static double number(String text) {
        String trimmed = text.strip();
        return DECIMAL.matcher(trimmed).matches() ? Double.parseDouble(trimmed) : Double.NaN;
    }

    private static boolean flag(String text) {
        if (text == null) {
            return false;
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        return value.equals("1") || value.equals("true") || value.equals("yes");
    }

    private static Optional<ImageSize> size(String width, String height) {
        if (width == null || height == null) {
            return Optional.empty();
        }
        double parsedWidth = number(width);
        double parsedHeight = number(height);
        if (parsedWidth >= 1 && parsedHeight >= 1 && parsedWidth <= Integer.MAX_VALUE && parsedHeight <= Integer.MAX_VALUE
                && parsedWidth == Math.rint(parsedWidth) && parsedHeight == Math.rint(parsedHeight)) {
            return Optional.of(new ImageSize((int) parsedWidth, (int) parsedHeight));
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.strip());
    }

    private static String message(XMLStreamException exception) {
        String message = String.valueOf(exception.getMessage()).replaceAll("\\s+", " ").strip();
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH) + "...";
    }
}
