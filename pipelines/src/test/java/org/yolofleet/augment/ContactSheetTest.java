package org.yolofleet.augment;

import org.yolofleet.core.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.stage.Split;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContactSheetTest {
    @Test
    void theSheetShowsEverySampleWithItsBoxesInTheClassColour() throws IOException {
        RecordAugmenter augmenter = new RecordAugmenter(AugmentRecipeTest.RECIPE);
        PreparedRecord record = AugmentFixtures.record("site/image_0001", Split.TRAIN, 160, 120, 2, 1);
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        for (AugmentedSample sample : ((RecordOutcome.Augmented) augmenter.augment(record)).samples()) {
            tiles.add(new ContactSheet.Tile(sample.label(), ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image()));
        }

        BufferedImage sheet = ContactSheet.render(tiles, 3, 96);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(ContactSheet.png(sheet)));

        assertThat(decoded.getWidth()).isEqualTo(4 + 3 * (96 + 4));
        assertThat(decoded.getHeight()).isEqualTo(4 + 2 * (96 + 16 + 4));
        SampleLabel.Box box = tiles.get(0).label().boxes().get(0);
        int expected = ContactSheet.classColour(box.classId()).getRGB();
        int x = 4 + (int) Math.round(box.xmin());
        int y = 4 + (int) Math.round((box.ymin() + box.ymax()) / 2);
        assertThat(List.of(decoded.getRGB(x - 1, y), decoded.getRGB(x, y))).contains(expected);
    }

    @Test
    void anEmptySheetSaysSo() {
        BufferedImage sheet = ContactSheet.render(List.of(), 4, 64);

        assertThat(sheet.getWidth()).isEqualTo(4 + 64 + 4);
    }
}
