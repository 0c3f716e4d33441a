//! The native boot manifest: which servers the native `init` task spawns,
//! in which order, and exactly which capabilities each one gets.
//!
//! `init` starts with every capability the kernel hands the first native
//! task (the boot directory, all I/O ports, all interrupt lines, all device
//! memory; see [`abi::INIT_BOOT_DIR_SLOT`] and the slots after it). It reads a
//! manifest from the boot directory, [`parse`]s it, creates the objects the
//! manifest declares, and spawns the tasks in the order written, giving each
//! one only what its `grant` lines name. Nothing a task can reach is implicit:
//! the manifest is the whole of the system's initial authority, so it is
//! kept small, strict and easy to read.
//!
//! This module documentation is the format's reference.
//!
//! # Example
//!
//! ```text
//! # The serial port driver owns COM2 and serves it on the endpoint `serial`.
//! endpoint serial
//!
//! task serial
//!     restart 3
//!     grant ioports 0x2f8 8 rw
//!     grant irq 3
//!     grant endpoint serial r
//!
//! task vulcan
//!     image vulcan.elf
//!     after serial
//!     wait
//!     grant endpoint serial wg
//!     grant bootdir rxtd
//! ```
//!
//! `crates/manifest/examples/boot.manifest` is a complete, tested example.
//!
//! # Lexical rules
//!
//! - The input is UTF-8 text of at most [`MAX_INPUT`] (64 KiB) bytes.
//!   Everything outside comments is ASCII.
//! - Lines end with `\n` (`\r\n` works too). `#` starts a comment
//!   that lasts to the end of the line. Blank lines and comment-only lines
//!   are ignored.
//! - A line is a keyword followed by arguments, separated by ASCII white
//!   space (spaces, tabs, `\r`, form feeds). Indentation is insignificant.
//!   Keywords are lower case.
//! - **Names** (tasks and objects) are 1 to [`MAX_NAME`] (15) bytes of
//!   `a-z 0-9 _ -`, so a task name always fits the 16-byte, NUL-terminated
//!   name of [`abi::SpawnSpec`].
//! - **Paths** (files in the boot directory) are 1 to [`MAX_PATH`] (255)
//!   bytes of `A-Z a-z 0-9 . _ / -`, relative, made of non-empty components
//!   none of which is `.` or `..` (so `a/b.elf` is fine; `/a`, `a//b`, `a/`,
//!   `./a` and `a/../b` are not).
//! - **Numbers** are decimal (`42`) or hexadecimal with a lower-case `0x`
//!   prefix (`0x2f8`, `0x2F8`). No sign, no separators; a value that does not
//!   fit the field is an error, never truncated.
//! - **Rights** are a set of letters, each at most once, in any order:
//!
//!   | letter | right      |
//!   |--------|------------|
//!   | `r`    | `READ`     |
//!   | `w`    | `WRITE`    |
//!   | `x`    | `EXEC`     |
//!   | `g`    | `GRANT`    |
//!   | `t`    | `TRANSFER` |
//!   | `d`    | `DERIVE`   |
//!
//!   `-` alone means no rights. What each right permits depends on the
//!   object (see [`abi::CapType::rights_meaning`]).
//!
//! # Objects
//!
//! ```text
//! endpoint <name>
//! notification <name>
//! ```
//!
//! `init` creates every object before it spawns anything, so tasks share an
//! object by naming it in their `grant` lines. Object lines may appear
//! anywhere (before or after the tasks that use them). Endpoints and
//! notifications share one name space; at most [`MAX_OBJECTS`] (32)
//! objects. An object line also ends the current task block.
//!
//! # Tasks
//!
//! ```text
//! task <name>
//! ```
//!
//! opens a task block, which lasts until the next `task` or object line. At
//! most [`MAX_TASKS`] (32) tasks, each name at most once. `init` spawns the
//! tasks in the order they are written, so that order must be a valid start
//! order (see `after`). Inside a block, each of these lines may appear at
//! most once (except `grant`), in any order:
//!
//! | line | meaning | default |
//! |------|---------|---------|
//! | `image <path>` | the program: a file in the boot directory | the task's name |
//! | `arg <number>` | the task's first argument register (64 bits) | `0` |
//! | `memory <number>` | memory limit in 4 KiB pages | `0`: no limit beyond the system's |
//! | `restart never` \| `restart <n>` | after a crash (a CPU fault, or a panic: exit code 101), start the task again, at most `n` (≤ [`MAX_RESTARTS`] = 100) times; `restart 0` is `restart never` | `never` |
//! | `after <task>` | start only once that task has started; it must be declared earlier in the file (and so cannot be the task itself) | none |
//! | `wait` | `init` waits for this task to end, then shuts the machine down with its exit status; at most one task in the manifest | no |
//! | `grant ...` | a capability, see below | none |
//!
//! # Grants
//!
//! A task receives its grants in the order written: the `i`-th `grant` line
//! (counting from 0) lands at slot [`abi::FIRST_GRANTED_SLOT`]` + i` of the new
//! task's capability table. Order is therefore part of the interface between
//! `init` and each server and is preserved exactly. At most [`MAX_GRANTS`]
//! (16, [`abi::MAX_SPAWN_CAPS`]) grants per task.
//!
//! | line | capability |
//! |------|------------|
//! | `grant endpoint <name> <rights>` | the endpoint declared as `<name>` |
//! | `grant notification <name> <rights>` | the notification declared as `<name>` |
//! | `grant ioports <base> <count> <rights>` | ports `base .. base + count` of `init`'s I/O port capability; `count` ≥ 1 and `base + count` ≤ `0x10000` |
//! | `grant irq <line>` | one interrupt line, `line` < [`abi::IRQ_LINES`] (24); rights `READ` implied |
//! | `grant mmio <base> <bytes> <rights>` | `bytes` of `init`'s device-memory capability from physical address `base`; both page-aligned (4 KiB), `bytes` ≥ one page, and the range must not wrap past 2^64 |
//! | `grant bootdir <rights>` | the boot directory (a file capability) |
//! | `grant file <path> <rights>` | one file in the boot directory |
//! | `grant vfs <rights>` | the right to serve and mount file systems in the kernel's namespace (`w`) |
//! | `grant net <rights>` | the right to serve the kernel's Internet sockets: `net_serve`, `net_events` (`w`) |
//!
//! The rights are what the child gets; `init` derives each capability from
//! its own, so a grant can never exceed what `init` holds.
//!
//! # Mounts
//!
//! `mount <device> <fstype> <path>`, optionally followed by `ro`, on a line
//! of its own (outside or inside a task block, it belongs to the manifest):
//! once every task has started, `init` mounts the file system a server
//! offers for `<device>` at the absolute `<path>` of the Linux namespace,
//! then lets the Linux init run. At most [`MAX_MOUNTS`] mounts.
//!
//! # Errors
//!
//! [`parse`] accepts a manifest or returns the first error as a
//! [`ParseError`]: a 1-based line number and a fixed message. Syntax and
//! per-line checks are reported in line order; a `grant endpoint` or `grant
//! notification` whose object is never declared (objects may be declared
//! after their use) is reported after the whole input has been read,
//! at the line of the grant. An input larger than 64 KiB is refused as a
//! whole, at line 0; one that is not UTF-8 at the line of the first invalid
//! byte.
//!
//! # Canonical form
//!
//! [`Manifest::render`] writes a manifest in canonical form: all objects
//! first, in order, then the tasks in order, each with only its non-default
//! lines, in the order `image arg memory restart after wait grant...`,
//! indented by four spaces, tasks separated by a blank line; `arg`, port
//! bases and `mmio` addresses and sizes in hex, other numbers in decimal,
//! rights letters in `rwxgtd` order. The rendered text parses back to an
//! equal [`Manifest`].
//!
//! # Robustness
//!
//! The parser runs inside a native task: it never panics, whatever the
//! input (property tests feed it random bytes and mutated manifests), it
//! uses no `unsafe`, and everything it accepts is bounded by the limits
//! above, so the parsed [`Manifest`] is at most a few tens of kilobytes.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

extern crate alloc;

mod lex;
mod parse;
mod render;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

pub use abi::Rights;
pub use parse::parse;

/// Largest input [`parse`] accepts, in bytes.
pub const MAX_INPUT: usize = 64 * 1024;
/// Most tasks in one manifest.
pub const MAX_TASKS: usize = 32;
/// Most objects (endpoints and notifications together) in one manifest.
pub const MAX_OBJECTS: usize = 32;
/// Most grants per task: all of them must fit one `abi::SpawnSpec`.
pub const MAX_GRANTS: usize = abi::MAX_SPAWN_CAPS;
/// Longest task or object name, in bytes.
pub const MAX_NAME: usize = 15;
/// Longest file path, in bytes.
pub const MAX_PATH: usize = 255;
/// Largest `restart` count.
pub const MAX_RESTARTS: u32 = 100;
/// One past the highest I/O port.
pub const IO_PORT_END: u32 = 0x1_0000;

/// A parsed manifest: the objects `init` creates, then the tasks it spawns,
/// both in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Manifest {
    pub objects: Vec<Object>,
    pub tasks: Vec<Task>,
    /// Boot-time mounts, in order.
    pub mounts: Vec<Mount>,
}

/// A file system `init` mounts once the tasks have started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The served device (`vda`).
    pub device: String,
    pub fstype: String,
    /// Absolute path.
    pub path: String,
    pub read_only: bool,
}

/// Most `mount` lines in one manifest.
pub const MAX_MOUNTS: usize = 8;

/// A kernel object `init` creates before spawning anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub kind: ObjectKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Endpoint,
    Notification,
}

impl ObjectKind {
    /// The keyword declaring (and granting) this kind of object.
    pub const fn keyword(self) -> &'static str {
        match self {
            ObjectKind::Endpoint => "endpoint",
            ObjectKind::Notification => "notification",
        }
    }
}

/// One task `init` spawns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub name: String,
    /// File in the boot directory; the task's name unless `image` says
    /// otherwise.
    pub image: String,
    pub arg: u64,
    /// Memory limit in 4 KiB pages; 0 means none beyond the system's.
    pub memory_pages: u64,
    /// How many times to restart the task after a crash (fault or panic); 0 means never.
    pub restart: u32,
    /// A task declared earlier that must have started first.
    pub after: Option<String>,
    /// `init` waits for this task and shuts down with its exit status.
    pub wait: bool,
    /// In slot order: grant `i` lands at `abi::FIRST_GRANTED_SLOT + i`.
    pub grants: Vec<Grant>,
}

/// A capability given to a task at spawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    Endpoint {
        name: String,
        rights: Rights,
    },
    Notification {
        name: String,
        rights: Rights,
    },
    /// Ports `base .. base + count` (never beyond `0x10000`, never empty).
    IoPorts {
        base: u16,
        count: u32,
        rights: Rights,
    },
    /// One interrupt line (below `abi::IRQ_LINES`), with `READ`.
    Irq {
        line: u8,
    },
    /// Physical range `base .. base + bytes`, page-aligned, never empty.
    Mmio {
        base: u64,
        bytes: u64,
        rights: Rights,
    },
    BootDir {
        rights: Rights,
    },
    File {
        path: String,
        rights: Rights,
    },
    /// The kernel's namespace, to serve and mount file systems in.
    Vfs {
        rights: Rights,
    },
    /// The kernel's Internet sockets, to serve a network stack for.
    Net {
        rights: Rights,
    },
}

impl Grant {
    /// The rights the task receives (`READ` for an interrupt line).
    pub fn rights(&self) -> Rights {
        match self {
            Grant::Endpoint { rights, .. }
            | Grant::Notification { rights, .. }
            | Grant::IoPorts { rights, .. }
            | Grant::Mmio { rights, .. }
            | Grant::BootDir { rights }
            | Grant::File { rights, .. }
            | Grant::Vfs { rights }
            | Grant::Net { rights } => *rights,
            Grant::Irq { .. } => Rights::READ,
        }
    }
}

/// Why a manifest was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the offending text (0: the input as a whole).
    pub line: usize,
    pub message: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "manifest: {}", self.message)
        } else {
            write!(f, "manifest line {}: {}", self.line, self.message)
        }
    }
}

impl core::error::Error for ParseError {}

impl Manifest {
    /// The task called `name`.
    pub fn task(&self, name: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.name == name)
    }

    /// The object called `name`.
    pub fn object(&self, name: &str) -> Option<&Object> {
        self.objects.iter().find(|o| o.name == name)
    }

    /// Canonical text (see the crate documentation) that [`parse`]s back to
    /// an equal manifest, provided this one obeys the format's rules (every
    /// manifest [`parse`] returns does).
    pub fn render(&self) -> String {
        render::render(self)
    }
}
