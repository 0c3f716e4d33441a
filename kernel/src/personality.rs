//! The personalities compiled into this kernel, and which one a process
//! starts with. Exec picks per binary (see task/exec.rs).

use kernel_ops::Personality;

pub fn linux() -> &'static dyn Personality {
    &personality_linux::LINUX
}

pub fn native() -> &'static dyn Personality {
    &crate::native::NATIVE
}

/// For the first process, before any binary has been looked at.
pub fn default() -> &'static dyn Personality {
    linux()
}

/// Every personality, by a number a process keeps in an atomic (read on
/// every system call, so without a lock).
pub fn by_number(n: u8) -> &'static dyn Personality {
    match n {
        1 => native(),
        _ => linux(),
    }
}

/// The number `by_number` gives `p` back for.
pub fn number_of(p: &'static dyn Personality) -> u8 {
    if p.name() == native().name() {
        1
    } else {
        debug_assert_eq!(p.name(), linux().name(), "a personality missing from by_number");
        0
    }
}
