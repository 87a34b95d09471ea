package org.yolofleet.publish.compile;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One vendor compiler as configured under {@code yolofleet.publish.compilers.<name>}: what to run, on which export,
 * what it must write, for which device, within what time, and whether a release without its artifact is acceptable.
 *
 * @param name           the configuration's name for it ({@code ncsdk}, {@code openvino-myriad}, {@code oak})
 * @param enabled        false: never run; the release records the artifact as not produced (disabled)
 * @param command        the compilation; must use {@code ${input}} and {@code ${output}}
 * @param versionCommand run before the compilation; the first line it prints is recorded as the tool's version
 * @param inputFormat    the export the command reads as {@code ${input}}
 * @param output         file name of the artifact in the release ({@code model.graph}); a plain name, no directory
 * @param target         the device the artifact is for
 * @param timeout        how long the command may run before its process tree is stopped
 * @param required       true: a missing tool or a failed compilation fails the publish ({@code COMPILER_FAILED})
 * @param configFile     file name of the configuration file written into the work directory as {@code ${config}};
 *                       empty: none (then the command must not use {@code ${config}})
 * @param configLines    the lines of that file
 */
public record CompilerSpec(
        String name,
        boolean enabled,
        CommandTemplate command,
        Optional<CommandTemplate> versionCommand,
        InputFormat inputFormat,
        String output,
        Target target,
        Duration timeout,
        boolean required,
        String configFile,
        List<String> configLines) {

    public CompilerSpec {
        requireNonNull(name, "name");
        requireNonNull(command, "command");
        requireNonNull(versionCommand, "versionCommand");
        requireNonNull(inputFormat, "inputFormat");
        requireNonNull(output, "output");
        requireNonNull(target, "target");
        requireNonNull(timeout, "timeout");
        requireNonNull(configFile, "configFile");
        configLines = List.copyOf(configLines);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a compiler needs a name");
        }
        requirePlainFileName("output", output);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (required && !enabled) {
            throw new IllegalArgumentException("required = true with enabled = false: a disabled compiler never produces its artifact; "
                    + "enable it or set required = false");
        }
        Set<CommandTemplate.Placeholder> used = command.placeholders();
        for (CommandTemplate.Placeholder needed : List.of(CommandTemplate.Placeholder.INPUT, CommandTemplate.Placeholder.OUTPUT)) {
            if (!used.contains(needed)) {
                throw new IllegalArgumentException("the command " + command.arguments() + " does not use " + needed.written()
                        + ": it must read the export as ${input} and write the artifact to ${output}");
            }
        }
        if (configFile.isEmpty()) {
            if (used.contains(CommandTemplate.Placeholder.CONFIG)) {
                throw new IllegalArgumentException("the command uses ${config} but config-file is empty: name the file to write");
            }
            if (!configLines.isEmpty()) {
                throw new IllegalArgumentException("config-lines are set but config-file is empty: name the file to write them to");
            }
        } else {
            requirePlainFileName("config-file", configFile);
        }
        versionCommand.ifPresent(version -> {
            if (!Set.of(CommandTemplate.Placeholder.WORKDIR).containsAll(version.placeholders())) {
                throw new IllegalArgumentException("the version command " + version.arguments() + " may only use ${workdir}");
            }
        });
    }

    private static void requirePlainFileName(String what, String fileName) {
        if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\") || fileName.equals(".") || fileName.equals("..")) {
            throw new IllegalArgumentException(what + " '" + fileName + "' must be a plain file name, without directories");
        }
    }
}
