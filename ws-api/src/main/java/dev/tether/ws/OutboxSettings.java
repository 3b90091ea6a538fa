package dev.tether.ws;

/** What {@link WebSocket.Builder#outbox} was told. */
record OutboxSettings(int maxMessages, long maxBytes, OnFull onFull) {
}
