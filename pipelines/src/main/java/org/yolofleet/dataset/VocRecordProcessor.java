package org.yolofleet.dataset;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageFileFormat;
import org.yolofleet.core.image.ImageHeader;
import org.yolofleet.core.image.ImageInspector;
import org.yolofleet.core.image.ImageNormalizer;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.image.NormalizedImage;
import org.yolofleet.core.image.PixelBox;
import org.yolofleet.core.quarantine.Finding;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.RecordRejectedException;
import org.yolofleet.dataset.VocAnnotation.VocObject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Prepares one VOC record — an annotation file and the image it names — in plain Java: parse the XML, find the
 * image, read its header, decode and normalise it, validate every object. The outcome is deterministic: the same
 * input gives the same bytes and the same quarantine entries.
 *
 * <p>The image is {@code <filename>} in the store; a name that is absolute or climbs out ({@code ..}) is
 * PATH_TRAVERSAL. A {@code <filename>} without extension finds {@code name.jpg} (or another image extension). When
 * {@code <filename>} is missing or not in the store, the image named after the annotation file
 * ({@code 000123.xml → 000123.jpg}) is used with a FILENAME_MISMATCH warning; with neither, ANNOTATION_WITHOUT_IMAGE.
 *
 * <p>An image without {@code <object>} is a negative (NO_OBJECTS warning). An image whose objects were all rejected is
 * not: kept, it would teach the network that what its annotator boxed is background. It is rejected
 * (ALL_OBJECTS_REJECTED, naming how many objects and why), or kept as a negative with an ALL_OBJECTS_REJECTED_KEPT
 * warning when {@link RecordRules#allObjectsRejected()} says so.
 *
 * <p>Quarantine paths name the file at fault: the image for image problems, the annotation otherwise.
 * Not thread-safe: one processor per thread (a Spark partition).
 */
public final class VocRecordProcessor {
    private static final Pattern ABSOLUTE = Pattern.compile("^([/\\\\]|[A-Za-z]:([/\\\\]|$)|[A-Za-z][A-Za-z0-9+.-]*://)");
    private static final String XML_EXTENSION = ".xml";
    private static final int OBJECTS_DESCRIBED = 5;

    private final RecordRules rules;
    private final VocAnnotationParser parser;
    private final ImageInspector inspector;
    private final ImageNormalizer normalizer;
    private final BoxValidator validator;

    public VocRecordProcessor(RecordRules rules) {
        this.rules = requireNonNull(rules, "rules");
        this.parser = new VocAnnotationParser();
        this.inspector = new ImageInspector(rules.maxImagePixels());
        this.normalizer = new ImageNormalizer(rules.jpegQuality(), rules.maxImagePixels());
        this.validator = new BoxValidator(rules);
    }

    public RecordRules rules() {
        return rules;
    }

    /**
     * @param source         the source (VOC root) name, copied into every entry
     * @param annotationPath the annotation file's path; its name without {@code .xml} is the image id
     * @param annotationXml  the annotation file's bytes
     * @param images         the image folder of the same VOC root
     * @throws YoloFleetException with {@link ErrorCode#IO} when the store cannot read a file (not a record problem)
     */
    public PrepareOutcome process(String source, String annotationPath, byte[] annotationXml, ImageStore images) {
        requireNonNull(source, "source");
        requireNonNull(annotationPath, "annotationPath");
        requireNonNull(annotationXml, "annotationXml");
        requireNonNull(images, "images");
        String imageId = imageId(annotationPath);
        VocAnnotation annotation;
        String fileName;
        List<QuarantineEntry> warnings = new ArrayList<>();
        try {
            annotation = parser.parse(annotationXml);
            fileName = resolveImage(annotation, imageId, images, source, annotationPath, warnings);
        } catch (RecordRejectedException rejected) {
            return PrepareOutcome.rejected(entry(source, annotationPath, rejected));
        }
        String imagePath = images.path(fileName);
        Optional<byte[]> read = images.read(fileName);
        if (read.isEmpty()) {
            return PrepareOutcome.rejected(new QuarantineEntry(source, annotationPath, QuarantineEntry.WHOLE_RECORD,
                    QuarantineReason.ANNOTATION_WITHOUT_IMAGE, "'" + fileName + "' was listed but could not be found when read"));
        }
        byte[] bytes = read.get();
        ImageHeader header;
        NormalizedImage normalized;
        try {
            header = inspector.inspect(bytes);
            normalized = normalizer.normalize(bytes, header);
        } catch (RecordRejectedException rejected) {
            return PrepareOutcome.rejected(entry(source, imagePath, rejected));
        }

        ImageFileFormat promised = ImageFileFormat.byExtension(fileName);
        if (promised != header.format()) {
            warnings.add(new QuarantineEntry(source, imagePath, QuarantineEntry.WHOLE_RECORD, QuarantineReason.WRONG_EXTENSION,
                    "'" + fileName + "' holds a " + header.format() + (promised == ImageFileFormat.UNKNOWN
                            ? " but has no image extension" : ", not a " + promised)));
        }
        header.metadataProblem().ifPresent(problem -> warnings.add(new QuarantineEntry(source, imagePath,
                QuarantineEntry.WHOLE_RECORD, QuarantineReason.METADATA_IGNORED, problem)));

        AnnotationFrame frame = AnnotationFrame.of(annotation.declaredSize(), normalized.storedSize(), normalized.orientation());
        for (Finding finding : normalized.findings()) {
            String detail = finding.reason() == QuarantineReason.EXIF_ORIENTATION_APPLIED && frame.upright()
                    ? finding.detail() + "; the boxes were not turned: <size> is the upright size, so they were drawn upright"
                    : finding.detail();
            warnings.add(new QuarantineEntry(source, imagePath, QuarantineEntry.WHOLE_RECORD, finding.reason(), detail));
        }
        frame.warning().ifPresent(finding -> warnings.add(entry(source, annotationPath, QuarantineEntry.WHOLE_RECORD, finding)));

        List<PreparedObject> objects = new ArrayList<>();
        List<QuarantineEntry> rejections = new ArrayList<>();
        List<VocObject> annotated = annotation.objects();
        for (int index = 0; index < annotated.size(); index++) {
            ObjectVerdict verdict = validator.validate(annotated.get(index), frame.size());
            if (verdict instanceof ObjectVerdict.Accepted accepted) {
                PixelBox box = frame.toUpright(accepted.box(), normalized.storedSize(), normalized.orientation());
                objects.add(new PreparedObject(accepted.classId(), accepted.className(), box.xmin(), box.ymin(), box.xmax(),
                        box.ymax(), accepted.difficult(), accepted.truncated()));
                for (Finding warning : accepted.warnings()) {
                    warnings.add(entry(source, annotationPath, index, warning));
                }
            } else if (verdict instanceof ObjectVerdict.Rejected rejected) {
                rejections.add(entry(source, annotationPath, index, rejected.reason()));
            }
        }
        if (annotated.isEmpty()) {
            warnings.add(new QuarantineEntry(source, annotationPath, QuarantineEntry.WHOLE_RECORD, QuarantineReason.NO_OBJECTS,
                    "no <object>: kept as a negative image"));
        } else if (objects.isEmpty()) {
            String detail = allRejected(rejections);
            switch (rules.allObjectsRejected()) {
                case REJECT -> {
                    return PrepareOutcome.rejected(new QuarantineEntry(source, annotationPath, QuarantineEntry.WHOLE_RECORD,
                            QuarantineReason.ALL_OBJECTS_REJECTED, detail));
                }
                case KEEP_AS_NEGATIVE -> warnings.add(new QuarantineEntry(source, annotationPath, QuarantineEntry.WHOLE_RECORD,
                        QuarantineReason.ALL_OBJECTS_REJECTED_KEPT, detail + "; kept as a negative image"));
            }
        }
        ImageSize size = normalized.size();
        PreparedImage image = new PreparedImage(source, imageId, annotationPath, imagePath, sha256(bytes), size.width(),
                size.height(), normalized.jpegBytesUncopied(), objects, warnings);
        return new PrepareOutcome(Optional.of(image), rejections);
    }

    private static String resolveImage(VocAnnotation annotation, String imageId, ImageStore images, String source,
                                       String annotationPath, List<QuarantineEntry> warnings) {
        Optional<String> declared = annotation.filename();
        if (declared.isPresent()) {
            String name = declared.get();
            if (isTraversal(name)) {
                throw new RecordRejectedException(QuarantineReason.PATH_TRAVERSAL,
                        "<filename> '" + printable(name) + "' is absolute or leaves the image folder");
            }
            if (images.fileNames().contains(name)) {
                return name;
            }
            if (ImageFileFormat.byExtension(name) == ImageFileFormat.UNKNOWN) {
                Optional<String> completed = withImageExtension(name, images);
                if (completed.isPresent()) {
                    return completed.get();
                }
            }
        }
        Optional<String> named = withImageExtension(imageId, images);
        if (named.isEmpty()) {
            throw new RecordRejectedException(QuarantineReason.ANNOTATION_WITHOUT_IMAGE, declared
                    .map(name -> "neither <filename> '" + printable(name) + "' nor " + imageId + ".<jpg|png|...> is an image file")
                    .orElse("no <filename>, and no " + imageId + ".<jpg|png|...> image file"));
        }
        warnings.add(new QuarantineEntry(source, annotationPath, QuarantineEntry.WHOLE_RECORD, QuarantineReason.FILENAME_MISMATCH,
                declared.map(name -> "<filename> '" + printable(name) + "' is not an image file; used '" + named.get()
                        + "', named after the annotation").orElse("no <filename>; used '" + named.get()
                        + "', named after the annotation")));
        return named.get();
    }

    /** "all 2 objects were rejected: object 0 UNKNOWN_CLASS (...); object 1 BOX_INVERTED (...)": how many, and why. */
    private static String allRejected(List<QuarantineEntry> rejections) {
        StringJoiner objects = new StringJoiner("; ");
        rejections.stream().limit(OBJECTS_DESCRIBED).forEach(rejection -> objects.add("object " + rejection.objectIndex() + " "
                + rejection.reason().name() + " (" + rejection.detail() + ")"));
        if (rejections.size() > OBJECTS_DESCRIBED) {
            objects.add("...");
        }
        return "all " + rejections.size() + (rejections.size() == 1 ? " object was" : " objects were") + " rejected: " + objects;
    }

    /** {@code stem.jpg}, {@code stem.JPG}, {@code stem.jpeg} ... {@code stem.png} ...: the first in the store. */
    private static Optional<String> withImageExtension(String stem, ImageStore images) {
        for (ImageFileFormat format : ImageFileFormat.values()) {
            for (String extension : format.extensions()) {
                for (String candidate : List.of(stem + "." + extension, stem + "." + extension.toUpperCase(Locale.ROOT))) {
                    if (images.fileNames().contains(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    static boolean isTraversal(String name) {
        if (name.indexOf('\0') >= 0 || ABSOLUTE.matcher(name).find()) {
            return true;
        }
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    static String imageId(String annotationPath) {
        String name = annotationPath.substring(Math.max(annotationPath.lastIndexOf('/'), annotationPath.lastIndexOf('\\')) + 1);
        return name.regionMatches(true, name.length() - XML_EXTENSION.length(), XML_EXTENSION, 0, XML_EXTENSION.length())
                && name.length() > XML_EXTENSION.length() ? name.substring(0, name.length() - XML_EXTENSION.length()) : name;
    }

    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "the JDK has no SHA-256", impossible);
        }
    }

    private static QuarantineEntry entry(String source, String path, RecordRejectedException rejected) {
        return new QuarantineEntry(source, path, QuarantineEntry.WHOLE_RECORD, rejected.reason(), rejected.detail());
    }

    private static QuarantineEntry entry(String source, String path, int objectIndex, Finding finding) {
        return new QuarantineEntry(source, path, objectIndex, finding.reason(), finding.detail());
    }
}
