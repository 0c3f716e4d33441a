//! Renders `docs/native-abi.md` from the tables in this crate.

use crate::{CapType, Error, Rights, SYSCALLS};
use std::fmt::Write;
use std::string::String;

pub fn render_markdown() -> String {
    let mut o = String::new();
    o.push_str("# The native ABI\n\n");
    o.push_str(
        "Generated from `crates/abi` by `cargo xtask docs`; `cargo test -p abi` fails when this file is stale. \
         Do not edit by hand.\n\n",
    );
    o.push_str(crate::arch::CALLING_CONVENTION);
    o.push_str("\n\n");
    o.push_str(
        "Every argument that names an object is a slot in the caller's capability table. \
         A new task starts with its task in slot 0, its address space in slot 1 and its main \
         thread in slot 2; capabilities granted at spawn follow from slot 3. The first task (init) \
         gets, from slot 3: the boot directory (File, READ|EXEC|TRANSFER|DERIVE), the I/O ports \
         (0-0xffff), the IRQ lines (0-23) and device memory (MMIO); the kernel still refuses the \
         ports, lines and physical pages it uses itself (`Denied`).\n\n",
    );
    let _ = writeln!(o, "## System calls ({} of at most 50)\n", SYSCALLS.len());
    o.push_str("| Nr | Call | Arguments | Returns | Errors |\n|---|---|---|---|---|\n");
    for s in SYSCALLS {
        let args: std::vec::Vec<String> = s.args.iter().map(|a| std::format!("`{}`", a.name)).collect();
        let errs: std::vec::Vec<&str> = s.errors.iter().map(|e| e.name()).collect();
        let _ = writeln!(
            o,
            "| {} | `{}` | {} | {} | {} |",
            s.call.nr(),
            s.name,
            args.join(", "),
            s.returns,
            errs.join(", ")
        );
    }
    o.push('\n');
    for s in SYSCALLS {
        let _ = writeln!(o, "### {} `{}`\n\n{}\n", s.call.nr(), s.name, s.summary);
        for a in s.args {
            let _ = writeln!(o, "- `{}`: {}", a.name, a.meaning);
        }
        if !s.args.is_empty() {
            o.push('\n');
        }
    }
    o.push_str("## Errors\n\n| Code | Name | Meaning |\n|---|---|---|\n");
    for e in Error::ALL {
        let _ = writeln!(o, "| {} | `{}` | {} |", e.code(), e.name(), e.description());
    }
    o.push_str("\n## Capability types\n\n| Code | Type | What | Rights |\n|---|---|---|---|\n");
    for t in CapType::ALL {
        let _ = writeln!(o, "| {} | `{}` | {} | {} |", *t as u32, t.name(), t.description(), t.rights_meaning());
    }
    o.push_str("\n## Rights\n\n| Bit | Right |\n|---|---|\n");
    for (r, name) in Rights::NAMES {
        let _ = writeln!(o, "| 0x{:x} | `{}` |", r.bits(), name);
    }
    o.push_str(
        "\nA derived capability never has a right its parent lacks. `TRANSFER` lets a capability \
         leave its table (spawn grants, IPC); `DERIVE` lets it be narrowed in place; `GRANT` on an \
         endpoint lets messages sent through it carry a capability.\n\n",
    );
    o.push_str(
        "## Message info word\n\nBits 0-31: label (the protocol's). Bit 32: `NONBLOCK` (sending \
         fails with `WouldBlock` when no receiver waits). Bit 33: `CAP` (a capability travels with \
         the message). Bits 40-63: the slot: the sender's capability to transfer (it needs \
         `TRANSFER`, and the endpoint `GRANT`), or on receipt the slot where it arrived. Bits \
         34-39 must be zero.\n\n",
    );
    o.push_str(
        "## Structures\n\nLittle-endian, no padding.\n\n\
         - `SpawnSpec` (176 bytes): `name: [u8; 16]` NUL-terminated, `arg: u64`, `supervisor: u32` \
         (Notification slot or `NO_CAP` = 0xffffffff), `cap_count: u32` (<= 16), \
         `supervisor_bits: u64`, `memory_limit_pages: u64` (0: none), then 16 × `{ slot: u32, rights: u32 }`.\n\
         - `TaskStatus` (24 bytes): `kind: u32` (1 exited, 2 faulted, 3 killed), `code: i32` \
         (exit code, or the CPU exception vector), `fault_addr: u64`, `fault_ip: u64`.\n\
         - `CapInfo` (32 bytes): `cap_type: u32`, `rights: u32`, `badge: u64`, `base: u64`, `len: u64`.\n",
    );
    o
}
