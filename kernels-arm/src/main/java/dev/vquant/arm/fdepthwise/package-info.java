/**
 * The float32 depthwise convolution twin at 128-bit width. Entry point:
 * {@link dev.vquant.arm.fdepthwise.FloatDepthwiseKernelsV128}.
 */
package dev.vquant.arm.fdepthwise;
