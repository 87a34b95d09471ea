package org.yolofleet.augment;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.image.Placement;
import org.yolofleet.core.model.ResizeMode;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BoxMapperTest {
    private static final BoxRules RULES = new BoxRules(0.25, 2);

    @Test
    void theIdentityOnlyScalesBoxes() {
        LabelledPixelBox box = new LabelledPixelBox(1, "square", new BoundingBox(20, 30, 120, 90), true, false);
        AugmentationParameters identity = AugmentationParameters.identity(200, 100);
        Placement placement = Placement.ofImage(200, 100, 416, 416, ResizeMode.LETTERBOX);

        BoxMapper.MappedBoxes mapped = BoxMapper.map(List.of(box), 200, 100, identity, placement, RULES);

        assertThat(mapped.dropped()).isZero();
        LabelledPixelBox kept = mapped.kept().get(0);
        assertThat(kept.classId()).isEqualTo(1);
        assertThat(kept.difficult()).isTrue();
        assertThat(kept.truncated()).isFalse();
        PlacementTest.assertClose(kept.box(), new BoundingBox(20 * 2.08, 104 + 30 * 2.08, 120 * 2.08, 104 + 90 * 2.08), 1e-9);
    }

    @Test
    void aBoxCutByTheCropIsClippedAndMarkedTruncated() {
        LabelledPixelBox box = new LabelledPixelBox(0, "circle", new BoundingBox(0, 0, 40, 40), true, false);
        AugmentationParameters crop = new AugmentationParameters(20, -10, 120, 90, false, 0, 1, 1);
        Placement placement = Placement.of(20, -10, 120, 90, 100, 100, ResizeMode.RESIZE);

        BoxMapper.MappedBoxes mapped = BoxMapper.map(List.of(box), 100, 100, crop, placement, RULES);

        LabelledPixelBox kept = mapped.kept().get(0);
        PlacementTest.assertClose(kept.box(), new BoundingBox(0, 10, 20, 50), 1e-9);
        assertThat(kept.truncated()).isTrue();
        assertThat(kept.difficult()).isTrue();
    }

    @Test
    void boxesMostlyCutOffOrTooSmallAreDroppedAndCounted() {
        List<LabelledPixelBox> boxes = List.of(
                new LabelledPixelBox(0, "circle", new BoundingBox(0, 0, 40, 40), false, false),      // 1/2 x 1 visible: kept
                new LabelledPixelBox(0, "circle", new BoundingBox(0, 50, 40, 90), false, false),     // 1/8 visible: dropped
                new LabelledPixelBox(1, "square", new BoundingBox(60, 10, 61.5, 40), false, false),  // 1.5 px wide: dropped
                new LabelledPixelBox(2, "triangle", new BoundingBox(0, 95, 10, 100), false, false)); // outside the crop: dropped
        AugmentationParameters crop = new AugmentationParameters(20, 0, 100, 55, false, 0, 1, 1);
        Placement placement = Placement.of(20, 0, 100, 55, 80, 55, ResizeMode.RESIZE);

        BoxMapper.MappedBoxes mapped = BoxMapper.map(boxes, 100, 100, crop, placement, RULES);

        assertThat(mapped.kept()).extracting(LabelledPixelBox::classId).containsExactly(0);
        assertThat(mapped.dropped()).isEqualTo(3);
    }

    @Test
    void flippingTwiceIsTheIdentity() {
        Random random = new Random(11);
        for (int trial = 0; trial < 100; trial++) {
            BoundingBox box = PlacementTest.randomBox(random, 416, 416);
            PlacementTest.assertClose(BoxMapper.flip(BoxMapper.flip(box, 416), 416), box, 1e-9);
            assertThat(BoxMapper.flip(box, 416).width()).isCloseTo(box.width(), within(1e-9));
        }
    }

    @Test
    void aFlippedCopyMirrorsTheBoxesOfTheUnflippedOne() {
        LabelledPixelBox box = new LabelledPixelBox(0, "circle", new BoundingBox(10, 20, 50, 60), false, false);
        AugmentationParameters plain = new AugmentationParameters(-5, 3, 90, 97, false, 0, 1, 1);
        AugmentationParameters flipped = new AugmentationParameters(-5, 3, 90, 97, true, 0, 1, 1);
        Placement placement = Placement.of(-5, 3, 90, 97, 128, 128, ResizeMode.LETTERBOX);

        BoundingBox unflipped = BoxMapper.map(List.of(box), 100, 100, plain, placement, RULES).kept().get(0).box();
        BoundingBox mirrored = BoxMapper.map(List.of(box), 100, 100, flipped, placement, RULES).kept().get(0).box();

        PlacementTest.assertClose(BoxMapper.flip(mirrored, 128), unflipped, 1e-9);
    }
}
