//! Socket buffer sizes as Linux reports and sets them.

/// `net.core.wmem_max`/`rmem_max` and the default of both (bytes).
pub const DEFAULT_BUFFER: u32 = 212_992;
/// The smallest send buffer (`SOCK_MIN_SNDBUF`).
pub const MIN_SEND_BUFFER: u32 = 4608;
/// The smallest receive buffer (`SOCK_MIN_RCVBUF`).
pub const MIN_RECEIVE_BUFFER: u32 = 2304;
/// Linux's bookkeeping per queued message (about one `sk_buff`), counted
/// against the buffers as Linux counts an skb's true size.
pub const MESSAGE_OVERHEAD: usize = 576;

/// The value SO_SNDBUF/SO_RCVBUF end up with for a requested `value`:
/// capped at the system maximum (unless `force`, the *BUFFORCE options of
/// a privileged caller), doubled for the bookkeeping, at least `min`.
pub fn effective(value: i32, min: u32, force: bool) -> u32 {
    let v = if value < 0 { 0 } else { value as u32 };
    let capped = if force { v } else { v.min(DEFAULT_BUFFER) };
    capped.saturating_mul(2).max(min)
}

/// Whether a datagram of `len` bytes can ever fit a send buffer of
/// `send_buffer` bytes (Linux: EMSGSIZE beyond `sk_sndbuf - 32`).
pub fn datagram_fits(len: usize, send_buffer: u32) -> bool {
    len <= (send_buffer as usize).saturating_sub(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_values() {
        assert_eq!(effective(1024, MIN_SEND_BUFFER, false), 4608);
        assert_eq!(effective(10_000, MIN_SEND_BUFFER, false), 20_000);
        assert_eq!(effective(i32::MAX, MIN_SEND_BUFFER, false), 425_984);
        assert_eq!(effective(-1, MIN_RECEIVE_BUFFER, false), 2304);
        assert_eq!(effective(1 << 20, MIN_RECEIVE_BUFFER, true), 2 << 20);
        assert!(datagram_fits(212_960, DEFAULT_BUFFER));
        assert!(!datagram_fits(212_961, DEFAULT_BUFFER));
    }
}
