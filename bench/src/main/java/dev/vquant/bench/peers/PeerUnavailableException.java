package dev.vquant.bench.peers;

/** A peer library cannot run in this JVM (native library missing, build without its profile). */
public final class PeerUnavailableException extends Exception {
    /**
     * An unavailable peer, {@code message} saying which and why.
     *
     * @param message which peer and what it lacks
     * @param cause the failure of loading it (a linkage or service error), or null
     */
    public PeerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
