//! Frames and bytes through each interface, counted by the device
//! adapters (smoltcp keeps no counters): what /proc/net/dev and ifconfig
//! show.

use netproto::Counters;

/// Counts one frame `len` bytes long that arrived; `cut` when the device
/// had to shorten it to fit (a receive error: the frame is damaged).
pub(crate) fn received(c: &mut Counters, len: usize, cut: bool) {
    c.rx_packets += 1;
    c.rx_bytes += len as u64;
    if cut {
        c.rx_errors += 1;
    }
}

/// Counts one frame handed to the device, or dropped when it had no room.
pub(crate) fn sent(c: &mut Counters, len: usize, accepted: bool) {
    if accepted {
        c.tx_packets += 1;
        c.tx_bytes += len as u64;
    } else {
        c.tx_dropped += 1;
    }
}
