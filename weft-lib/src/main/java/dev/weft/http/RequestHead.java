package dev.weft.http;

/** A parsed request line and header section, with the framing the parser derived from them. */
record RequestHead(String method, String target, String path, String query, int minorVersion, Headers headers,
                   long contentLength, boolean chunked, boolean keepAlive, boolean expectContinue, int length) {

    /** Whether a body follows the head. */
    boolean hasBody() {
        return chunked || contentLength > 0;
    }
}
