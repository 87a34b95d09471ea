/**
 * The Raspberry Pi agent ({@code yolofleet-agent}): keeps the release a channel points at installed, verified with the
 * manifest reader and Ed25519 verifier of {@code org.yolofleet.core.release}, and runs it. Depends on core only.
 */
package org.yolofleet.device;
