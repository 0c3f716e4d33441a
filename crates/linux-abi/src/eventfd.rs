//! `eventfd`/`eventfd2` flags and limits (`sys/eventfd.h`; the kernel's
//! `linux/eventfd.h` is not exported as UAPI before Linux 6.x).

/// Each read takes 1 from the counter instead of all of it.
pub const EFD_SEMAPHORE: u32 = 0o1;
/// The same bit as `O_CLOEXEC`.
pub const EFD_CLOEXEC: u32 = 0o2000000;
/// The same bit as `O_NONBLOCK`.
pub const EFD_NONBLOCK: u32 = 0o4000;
/// Every flag `eventfd2` accepts.
pub const EFD_FLAGS: u32 = EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK;
/// The largest value the counter can hold; a write that would pass it
/// blocks (`ULLONG_MAX - 1`: `ULLONG_MAX` itself is never a valid count).
pub const EVENTFD_MAX: u64 = u64::MAX - 1;
/// Reads and writes move exactly this many bytes (one `u64`).
pub const EVENTFD_SIZE: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_the_open_flags() {
        assert_eq!(EFD_CLOEXEC, crate::fcntl::O_CLOEXEC);
        assert_eq!(EFD_NONBLOCK, crate::fcntl::O_NONBLOCK);
    }
}
