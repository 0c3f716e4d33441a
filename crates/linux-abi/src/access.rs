//! `access`/`faccessat` mode bits (`<unistd.h>`; the kernel tests them as
//! `MAY_READ` etc. internally). `AT_EACCESS` is in [`crate::fcntl`].

/// Only test that the file exists.
pub const F_OK: u32 = 0;
pub const X_OK: u32 = 1;
pub const W_OK: u32 = 2;
pub const R_OK: u32 = 4;

/// A mode with bits outside `R_OK | W_OK | X_OK` is EINVAL.
pub const fn is_valid_mode(mode: u32) -> bool {
    mode & !(R_OK | W_OK | X_OK) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        assert!(is_valid_mode(F_OK));
        assert!(is_valid_mode(R_OK | W_OK | X_OK));
        assert!(!is_valid_mode(8));
    }
}
