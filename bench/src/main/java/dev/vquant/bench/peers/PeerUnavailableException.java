package dev.vquant.bench.peers;

/** A peer library cannot run in this JVM (native library missing, build without its profile). */
public final class PeerUnavailableException extends Exception {
    public PeerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
