//! `docs/linux-syscalls.md`, generated from the syscall table.

use crate::table::{lookup, Status};
use alloc::format;
use alloc::string::String;
use linux_abi::syscall_names::SYSCALLS;

pub fn coverage_markdown() -> String {
    let mut complete = 0;
    let mut partial = 0;
    let mut stub = 0;
    let mut rows = String::new();
    for &(nr, name) in SYSCALLS {
        let (status, note) = match lookup(u64::from(nr)).map(|e| e.status) {
            Some(Status::Complete) => {
                complete += 1;
                ("implemented", "")
            }
            Some(Status::Partial(n)) => {
                partial += 1;
                ("partial", n)
            }
            Some(Status::Stub(n)) => {
                stub += 1;
                ("stub", n)
            }
            None => ("ENOSYS", crate::missing::reason(name).unwrap_or("")),
        };
        rows.push_str(&format!("| {nr} | `{name}` | {status} | {note} |\n"));
    }
    let total = SYSCALLS.len();
    format!(
        "# Linux x86_64 system calls in Helctic\n\n\
         Generated from `crates/personality-linux/src/table.rs` by `cargo xtask docs`; \
         `cargo test -p personality-linux` fails when this file is stale.\n\n\
         Of {total} Linux system calls, {complete} are implemented, {partial} partially \
         and {stub} as honest stubs (the note says why a fixed answer is right here). \
         Every other call returns ENOSYS (the note says why) and logs one line naming the call and the program.\n\n\
         | # | name | status | notes |\n|---|---|---|---|\n{rows}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every call is either in the table or has a reason for being ENOSYS,
    /// never both, and no reason names a call Linux does not have.
    #[test]
    fn every_missing_call_has_a_reason() {
        for &(nr, name) in SYSCALLS {
            let handled = lookup(u64::from(nr)).is_some();
            let reason = crate::missing::reason(name);
            assert!(handled || reason.is_some(), "{name} ({nr}) is ENOSYS without a reason in missing.rs");
            assert!(!(handled && reason.is_some()), "{name} ({nr}) has a table row and a reason for being missing");
        }
        for (name, _) in crate::missing::REASONS {
            assert!(SYSCALLS.iter().any(|(_, n)| n == name), "missing.rs names {name}, which Linux does not have");
        }
    }
}
