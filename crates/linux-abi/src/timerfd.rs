//! `timerfd_create`/`timerfd_settime`/`timerfd_gettime`
//! (`linux/timerfd.h`). The times are `struct itimerspec`
//! ([`crate::time::Itimerspec`]); a read returns the expiration count as
//! one native-endian `u64`.

/// `timerfd_settime`: the first expiry is an absolute time on the clock.
pub const TFD_TIMER_ABSTIME: u32 = 1 << 0;
/// `timerfd_settime`: a read fails with ECANCELED when the realtime clock
/// is set (discontinuously) while the timer is armed.
pub const TFD_TIMER_CANCEL_ON_SET: u32 = 1 << 1;
/// Every flag `timerfd_settime` accepts.
pub const TFD_SETTIME_FLAGS: u32 = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;
/// The same bit as `O_CLOEXEC`.
pub const TFD_CLOEXEC: u32 = 0o2000000;
/// The same bit as `O_NONBLOCK`.
pub const TFD_NONBLOCK: u32 = 0o4000;
/// Every flag `timerfd_create` accepts.
pub const TFD_CREATE_FLAGS: u32 = TFD_CLOEXEC | TFD_NONBLOCK;
/// A read moves this many bytes (one `u64`).
pub const TIMERFD_READ_SIZE: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_the_open_flags() {
        assert_eq!(TFD_CLOEXEC, crate::fcntl::O_CLOEXEC);
        assert_eq!(TFD_NONBLOCK, crate::fcntl::O_NONBLOCK);
    }
}
