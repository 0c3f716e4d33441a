//! `docs/freebsd-syscalls.md`, generated from the system-call table.

use crate::syscall_names::SYSCALLS;
use crate::table::{lookup, Status};
use alloc::format;
use alloc::string::String;

pub fn coverage_markdown() -> String {
    let mut complete = 0;
    let mut partial = 0;
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
            None => ("ENOSYS", ""),
        };
        rows.push_str(&format!("| {nr} | `{name}` | {status} | {note} |\n"));
    }
    let total = SYSCALLS.len();
    format!(
        "# FreeBSD amd64 system calls in Helctic\n\n\
         Generated from `crates/personality-freebsd/src/table.rs` by `cargo xtask docs`; \
         `cargo test -p personality-freebsd` fails when this file is stale. Names and numbers \
         are FreeBSD's (`sys/kern/syscalls.master`; compatibility entry points as `freebsdN_name`).\n\n\
         Of {total} FreeBSD system calls, {complete} are implemented and {partial} partially \
         (the note says what is missing). Every other call fails with ENOSYS (78, carry flag set) \
         and logs one line naming the call and the program.\n\n\
         | # | name | status | notes |\n|---|---|---|---|\n{rows}"
    )
}

#[cfg(test)]
mod tests {
    /// Every table entry is a FreeBSD call under its FreeBSD name.
    #[test]
    fn every_entry_is_named_as_freebsd_names_it() {
        for e in crate::table::TABLE {
            assert_eq!(crate::syscall_names::name(e.nr), Some(e.name), "call {}", e.nr);
        }
    }
}
