package dev.tether.ws.conformance;

/** The judgement of one case run: behaviour and close behaviour, each with its reason. */
public record Verdict(Behavior behavior, CloseBehavior closeBehavior, String result, String resultClose) {
}
