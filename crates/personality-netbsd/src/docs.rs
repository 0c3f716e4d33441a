//! `docs/netbsd-syscalls.md`, generated from the system-call table.

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
        "# NetBSD amd64 system calls in Helctic\n\n\
         Generated from `crates/personality-netbsd/src/table.rs` by `cargo xtask docs`; \
         `cargo test -p personality-netbsd` fails when this file is stale. Numbers are NetBSD's \
         (`sys/kern/syscalls.master`); names are the ones libc calls (`__fstat50`, `___lwp_park60`; \
         compatibility entry points as the kernel names them, `compat_50_wait4`).\n\n\
         Of {total} NetBSD system calls, {complete} are implemented and {partial} partially \
         (the note says what is missing). Every other call fails with ENOSYS (78, carry flag set) \
         and logs one line naming the call and the program.\n\n\
         | # | name | status | notes |\n|---|---|---|---|\n{rows}"
    )
}

#[cfg(test)]
mod tests {
    /// Every table entry is a NetBSD call under its NetBSD name.
    #[test]
    fn every_entry_is_named_as_netbsd_names_it() {
        for e in crate::table::TABLE {
            assert_eq!(crate::syscall_names::name(e.nr), Some(e.name), "call {}", e.nr);
        }
    }
}
