/** A modular application: one {@code requires} brings Tether's API, NIO transport and TLS. */
module example.modular {
    requires dev.tether;
}
