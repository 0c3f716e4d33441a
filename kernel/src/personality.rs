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
