//! Feature negotiation (virtio 1.x, 2.2 and 6): the driver accepts the
//! features the device offers that it can use, and nothing else.

#![forbid(unsafe_code)]

/// VIRTIO_F_VERSION_1: the device is a virtio 1.x ("modern") device. Every
/// driver here requires it (the legacy interface is never driven).
pub const F_VERSION_1: u64 = 1 << 32;

/// Why the device's offer is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// It does not offer `F_VERSION_1`.
    NotModern,
}

/// The features to accept from `offered`: those in `wanted`, plus
/// `F_VERSION_1`, which must be offered.
pub fn negotiate(offered: u64, wanted: u64) -> Result<u64, Refused> {
    if offered & F_VERSION_1 == 0 {
        return Err(Refused::NotModern);
    }
    Ok(offered & (wanted | F_VERSION_1))
}
