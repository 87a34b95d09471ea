package org.yolofleet.dataset;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.image.PixelBox;
import org.yolofleet.core.quarantine.Finding;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.VocAnnotation.VocBox;
import org.yolofleet.dataset.VocAnnotation.VocObject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BoxValidatorTest {
    private static final ImageSize FRAME = new ImageSize(100, 80);
    private final BoxValidator validator = new BoxValidator(new RecordRules(List.of("car", "person"), Map.of("pedestrian", "person"),
            1_000_000, 2, 3, 90));

    @Test
    void acceptsAValidBoxAsIs() {
        assertThat(validator.validate(object("person", 10, 20, 30, 60), FRAME))
                .isEqualTo(new ObjectVerdict.Accepted(1, "person", new PixelBox(10, 20, 30, 60), true, false, List.of()));
    }

    @Test
    void boxesOnTheBorderAreInside() {
        assertThat(validator.validate(object("car", 0, 0, 100, 80), FRAME)).isInstanceOf(ObjectVerdict.Accepted.class);
    }

    @Test
    void clipsWithinTheTolerance() {
        ObjectVerdict verdict = validator.validate(object("car", -2, 10, 101.5, 82), FRAME);
        assertThat(verdict).isInstanceOfSatisfying(ObjectVerdict.Accepted.class, accepted -> {
            assertThat(accepted.box()).isEqualTo(new PixelBox(0, 10, 100, 80));
            assertThat(accepted.warnings()).singleElement().satisfies(warning -> {
                assertThat(warning.reason()).isEqualTo(QuarantineReason.BOX_CLIPPED);
                assertThat(warning.detail()).isEqualTo("(-2, 10, 101.5, 82) clipped to (0, 10, 100, 80) in the 100x80 image");
            });
        });
    }

    @Test
    void rejectsBeyondTheTolerance() {
        assertRejected(object("car", -2.5, 10, 50, 50), QuarantineReason.BOX_NEGATIVE);
        assertRejected(object("car", 10, -3, 50, 50), QuarantineReason.BOX_NEGATIVE);
        assertRejected(object("car", 10, 10, 102.5, 50), QuarantineReason.BOX_OUTSIDE_IMAGE);
        assertRejected(object("car", 10, 10, 50, 83), QuarantineReason.BOX_OUTSIDE_IMAGE);
        assertRejected(object("car", 100, 10, 101, 50), QuarantineReason.BOX_OUTSIDE_IMAGE);
        assertRejected(object("car", -2, 10, 0, 50), QuarantineReason.BOX_OUTSIDE_IMAGE);
    }

    @Test
    void checksInOrderTheFirstFailureDeciding() {
        assertRejected(object("truck", Double.NaN, 10, 5, 50), QuarantineReason.UNKNOWN_CLASS);
        assertRejected(object("car", Double.NaN, 10, 5, 50), QuarantineReason.BOX_NOT_FINITE);
        assertRejected(object("car", 10, 10, Double.POSITIVE_INFINITY, 50), QuarantineReason.BOX_NOT_FINITE);
        assertRejected(object("car", -50, 10, -60, 50), QuarantineReason.BOX_INVERTED);
        assertRejected(object("car", 10, 50, 20, 40), QuarantineReason.BOX_INVERTED);
        assertRejected(object("car", 10, 10, 10, 50), QuarantineReason.BOX_ZERO_AREA);
        assertRejected(object("car", -10, 10, -10, 50), QuarantineReason.BOX_ZERO_AREA);
        assertRejected(object("car", 10, 10, 12.5, 50), QuarantineReason.BOX_TOO_SMALL);
        assertRejected(object("car", 98, 10, 101, 50), QuarantineReason.BOX_TOO_SMALL);
    }

    @Test
    void appliesAliasesAndNamesTheUnknown() {
        ObjectVerdict verdict = validator.validate(object("pedestrian", 10, 20, 30, 60), FRAME);
        assertThat(verdict).isInstanceOfSatisfying(ObjectVerdict.Accepted.class, accepted -> {
            assertThat(accepted.classId()).isEqualTo(1);
            assertThat(accepted.className()).isEqualTo("person");
            assertThat(accepted.warnings()).extracting(Finding::reason).containsExactly(QuarantineReason.ALIAS_APPLIED);
        });
        assertThat(validator.validate(object("Car", 10, 20, 30, 60), FRAME)).isEqualTo(new ObjectVerdict.Rejected(new Finding(
                QuarantineReason.UNKNOWN_CLASS, "'Car' is not a configured class [car, person] nor an alias [pedestrian]")));
    }

    @Test
    void incompleteObjectsNameWhatIsMissing() {
        VocObject incomplete = new VocObject(Optional.empty(), Optional.empty(), false, false, List.of("name", "bndbox"));
        assertThat(validator.validate(incomplete, FRAME))
                .isEqualTo(new ObjectVerdict.Rejected(new Finding(QuarantineReason.OBJECT_MISSING_FIELD, "missing name, bndbox")));
    }

    @Test
    void zeroToleranceAndZeroMinimum() {
        BoxValidator strict = new BoxValidator(new RecordRules(List.of("car"), Map.of(), 1_000_000, 0, 0, 90));
        assertThat(strict.validate(object("car", 0, 0, 100, 80), FRAME)).isInstanceOf(ObjectVerdict.Accepted.class);
        assertThat(strict.validate(object("car", 10, 10, 10.5, 10.5), FRAME)).isInstanceOf(ObjectVerdict.Accepted.class);
        assertThat(strict.validate(object("car", 0, 0, 100.01, 80), FRAME)).isInstanceOfSatisfying(ObjectVerdict.Rejected.class,
                rejected -> assertThat(rejected.reason().reason()).isEqualTo(QuarantineReason.BOX_OUTSIDE_IMAGE));
    }

    private void assertRejected(VocObject object, QuarantineReason reason) {
        assertThat(validator.validate(object, FRAME)).isInstanceOfSatisfying(ObjectVerdict.Rejected.class,
                rejected -> assertThat(rejected.reason().reason()).as(rejected.reason().detail()).isEqualTo(reason));
    }

    private static VocObject object(String name, double xmin, double ymin, double xmax, double ymax) {
        return new VocObject(Optional.of(name), Optional.of(new VocBox(xmin, ymin, xmax, ymax, "text")), name.equals("person"), false,
                List.of());
    }
}
