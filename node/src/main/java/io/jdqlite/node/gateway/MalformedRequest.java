package io.jdqlite.node.gateway;

/** A framed message whose body could not be decoded: answered with a FAILURE, in request order. */
record MalformedRequest(int code, String message) {
}
