//! `getrandom(2)` flags (`linux/random.h`).

/// Fail with EAGAIN instead of blocking before the pool is initialised.
pub const GRND_NONBLOCK: u32 = 0x0001;
/// Draw from the (historical) blocking pool.
pub const GRND_RANDOM: u32 = 0x0002;
/// Never block, even before initialisation (Linux 5.6).
pub const GRND_INSECURE: u32 = 0x0004;

/// Flags other than these are EINVAL, and so is `GRND_INSECURE | GRND_RANDOM`.
pub const fn flags_valid(flags: u32) -> bool {
    flags & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) == 0
        && flags & (GRND_INSECURE | GRND_RANDOM) != (GRND_INSECURE | GRND_RANDOM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity() {
        assert!(flags_valid(0));
        assert!(flags_valid(GRND_NONBLOCK | GRND_INSECURE));
        assert!(!flags_valid(GRND_RANDOM | GRND_INSECURE));
        assert!(!flags_valid(8));
    }
}
