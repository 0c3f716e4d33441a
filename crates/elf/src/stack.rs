//! `PT_GNU_STACK`: whether a program wants an executable stack.

use crate::program_header::SegmentType;
use crate::ElfFile;

/// What the program says about its stack. "Unspecified" is kept apart from
/// the two answers because its meaning is the personality's choice: old
/// Linux made such stacks executable, Linux since 5.8 does not on x86_64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackPermission {
    /// `PT_GNU_STACK` with `PF_X`.
    Executable,
    /// `PT_GNU_STACK` without `PF_X`, as every modern toolchain emits.
    NonExecutable,
    /// No `PT_GNU_STACK` segment.
    Unspecified,
}

impl ElfFile<'_> {
    /// Reads the first `PT_GNU_STACK`, as Linux does.
    pub fn stack_permission(&self) -> StackPermission {
        match self.first_segment(SegmentType::GnuStack) {
            Some(ph) if ph.flags.executable() => StackPermission::Executable,
            Some(_) => StackPermission::NonExecutable,
            None => StackPermission::Unspecified,
        }
    }
}
