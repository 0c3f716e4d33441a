//! The terminal line discipline: what sits between a serial port and the
//! programs reading and writing it, as Linux's `n_tty` does.
//!
//! [`LineDiscipline`] is a state machine with no I/O of its own. The kernel
//! feeds it each byte the device receives and sends the echo it produces
//! back to the device; it delivers the [`Signal`]s it reports to the
//! foreground process group; it asks it what a `read(2)` may return and
//! blocks the reader when the answer is [`ReadOutcome::WouldBlock`]; and it
//! passes `write(2)` data through [`LineDiscipline::process_output`].
//!
//! Behaviour follows POSIX's General Terminal Interface and, where POSIX
//! leaves room, Linux, down to the echoed bytes: canonical line editing
//! (`VERASE`, `VWERASE`, `VKILL`, `VREPRINT`, `VLNEXT`, `VEOF`, `VEOL`,
//! `VEOL2`), `ECHO*` flags, `ISIG` signals, `IXON` flow control, input
//! mapping (`ICRNL`, `INLCR`, `IGNCR`, `ISTRIP`, `IUCLC`), non-canonical
//! `VMIN`/`VTIME` reads, and `OPOST` output processing. Deliberate
//! departures from Linux, each noted where it is implemented:
//!
//! - when the 4096-byte input queue is full, further input is dropped
//!   (beeping under `IMAXBEL`), keeping one slot in canonical mode for the
//!   byte that ends the line; Linux instead holds input back in the driver,
//!   or overwrites the last character of an over-long line. Devices that
//!   can hold input back ask [`LineDiscipline::input_full`] first (the
//!   kernel's pseudo-terminal master does; the serial console does not);
//! - `IUCLC` and `OLCUC` map ASCII letters only;
//! - erase never gets stuck on UTF-8 continuation bytes with no lead byte;
//! - a pending end-of-file is dropped, not turned into a NUL byte, when the
//!   terminal leaves canonical mode.
//!
//! Not implemented: parity and framing errors (`INPCK`, `IGNPAR`), `IXOFF`
//! (sending XOFF when the queue fills), `VDISCARD`, `VSWTC`, `XCASE`,
//! `EXTPROC`, `FLUSHO`, `PENDIN`; Linux ignores most of these too. Job
//! control checks (`TOSTOP`, SIGTTIN) belong to the kernel, which knows
//! process groups.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

pub mod bsd_termios;
mod ctype;
mod discipline;
mod echo;
mod output;
mod queue;
mod termios;

pub use discipline::{LineDiscipline, ReadOutcome, Signal};
pub use queue::CAPACITY;
pub use termios::*;
