package org.yolofleet.augment;

import org.junit.jupiter.api.Test;
import org.yolofleet.config.ModelInput;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.stage.Split;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AugmentRecipeTest {
    static final AugmentRecipe RECIPE = new AugmentRecipe(new ModelInput(96, 96, ResizeMode.LETTERBOX),
            AugmentationSettings.DARKNET_DEFAULTS, new BoxRules(0.1, 2), 4, true, 42, 90);

    @Test
    void eachCopyDrawsFromItsOwnStreamSeededBySeedIdAndCopy() {
        AugmentationParameters first = RECIPE.parameters("site/a", Split.TRAIN, 1, 500, 375);
        AugmentationParameters again = RECIPE.parameters("site/a", Split.TRAIN, 1, 500, 375);
        AugmentationParameters otherCopy = RECIPE.parameters("site/a", Split.TRAIN, 2, 500, 375);
        AugmentationParameters otherImage = RECIPE.parameters("site/b", Split.TRAIN, 1, 500, 375);
        AugmentRecipe otherSeed = new AugmentRecipe(RECIPE.input(), RECIPE.augmentation(), RECIPE.boxes(), 4, true, 43, 90);

        assertThat(again).isEqualTo(first);
        assertThat(otherCopy).isNotEqualTo(first);
        assertThat(otherImage).isNotEqualTo(first);
        assertThat(otherSeed.parameters("site/a", Split.TRAIN, 1, 500, 375)).isNotEqualTo(first);
    }

    @Test
    void validationImagesAndTheOriginalCopyAreOnlyResized() {
        assertThat(RECIPE.copiesOf(Split.VAL)).isEqualTo(1);
        assertThat(RECIPE.copiesOf(Split.TRAIN)).isEqualTo(4);
        assertThat(RECIPE.parameters("site/a", Split.VAL, 0, 500, 375)).isEqualTo(AugmentationParameters.identity(500, 375));
        assertThat(RECIPE.parameters("site/a", Split.TRAIN, 0, 500, 375)).isEqualTo(AugmentationParameters.identity(500, 375));
        assertThatThrownBy(() -> RECIPE.parameters("site/a", Split.VAL, 1, 500, 375)).isInstanceOf(IllegalArgumentException.class);

        AugmentRecipe allAugmented = new AugmentRecipe(RECIPE.input(), RECIPE.augmentation(), RECIPE.boxes(), 2, false, 42, 90);
        assertThat(allAugmented.parameters("site/a", Split.TRAIN, 0, 500, 375)).isNotEqualTo(AugmentationParameters.identity(500, 375));
    }

    @Test
    void drawnParametersStayWithinTheConfiguredStrengths() {
        AugmentationSettings settings = AugmentationSettings.DARKNET_DEFAULTS;
        SplittableRandom random = new SplittableRandom(7);
        Set<Boolean> flips = new HashSet<>();
        for (int trial = 0; trial < 2000; trial++) {
            AugmentationParameters parameters = AugmentationParameters.draw(settings, 500, 375, random);
            assertThat(parameters.cropLeft()).isBetween(-100.0, 100.0);
            assertThat(500 - parameters.cropRight()).isBetween(-100.0, 100.0);
            assertThat(parameters.cropTop()).isBetween(-75.0, 75.0);
            assertThat(375 - parameters.cropBottom()).isBetween(-75.0, 75.0);
            assertThat(parameters.hueShift()).isBetween(-0.1, 0.1);
            assertThat(parameters.saturationScale()).isBetween(1 / 1.5, 1.5);
            assertThat(parameters.exposureScale()).isBetween(1 / 1.5, 1.5);
            flips.add(parameters.flip());
        }
        assertThat(flips).containsExactlyInAnyOrder(true, false);
        assertThat(AugmentationParameters.draw(AugmentationSettings.NONE, 500, 375, random))
                .isEqualTo(AugmentationParameters.identity(500, 375));
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new AugmentationSettings(0.5, 0.1, 1.5, 1.5, 0.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new AugmentationSettings(0.2, 0.1, 0.9, 1.5, 0.5)).hasMessageContaining("saturation");
        assertThatThrownBy(() -> new AugmentationSettings(0.2, 0.1, 1.5, 1.5, 1.5)).hasMessageContaining("flip");
    }
}
