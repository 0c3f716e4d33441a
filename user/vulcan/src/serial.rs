//! The user-space serial driver (COM2), through the endpoint at slot 4
//! (WRITE|GRANT): write a greeting in messages of at most 32 bytes, read
//! the line the host sends ("ping from the host\r\n"), and write back
//! "echo: ping from the host\r\n", which the host looks for on COM2.
//!
//! The driver holds a READ call until bytes arrive, so reading happens in
//! a thread the suite waits for with a timeout: a silent host costs a
//! failed check, not the run.

use crate::check;
use core::sync::atomic::{AtomicU64, AtomicU8, Ordering::SeqCst};
use protocols::{pack, serial, unpack, INLINE_BYTES};
use rt::abi::{MsgInfo, TaskStatusKind};
use rt::sys;

const EP: u64 = 4;
const HELLO: &[u8] = b"vulcan: hello through the user-space serial driver\n";
const HOST_LINE: &[u8] = b"ping from the host";
const ECHO: &[u8] = b"echo: ping from the host\r\n";
const READ_TIMEOUT_NS: u64 = 30_000_000_000;
const LINE_MAX: usize = 256;

static LINE: [AtomicU8; LINE_MAX] = [const { AtomicU8::new(0) }; LINE_MAX];
static LINE_LEN: AtomicU64 = AtomicU64::new(0);
/// The first malformed reply's label (| 1 << 32), or 0.
static BAD_REPLY: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` (at most 32) in one WRITE request; the reply's w0.
fn write(bytes: &[u8]) -> Result<u64, rt::abi::Error> {
    let info = MsgInfo::new(protocols::label(serial::WRITE, bytes.len()));
    crate::ipc::call_server(EP, info, pack(bytes)).map(|m| m.words[0])
}

pub fn run() {
    const NAMES: [&str; 2] = ["serial.write_chunk_0", "serial.write_chunk_1"];
    for (i, chunk) in HELLO.chunks(INLINE_BYTES).enumerate() {
        let name = NAMES.get(i).copied().unwrap_or("serial.write_chunk_n");
        check::ok_eq(name, write(chunk), chunk.len() as u64);
    }
    let r = crate::ipc::call_server(EP, MsgInfo::new(0x7f), [0; 4]);
    check::that(
        "serial.unknown_request_error",
        matches!(&r, Ok(m) if protocols::code(m.info.label()) == serial::ERROR),
        format_args!("expected label {:#x}, got {r:?}", serial::ERROR),
    );

    let Some(t) = check::ok("serial.reader_thread", rt::thread::spawn(reader, 0)) else { return };
    match sys::thread_wait(t, READ_TIMEOUT_NS) {
        Ok(s) if s.kind == TaskStatusKind::Exited && s.code == 0 => check::pass("serial.read_until_newline"),
        other => {
            check::fail(
                "serial.read_until_newline",
                format_args!(
                    "reader: {other:?}, {} bytes, bad reply {:#x}",
                    LINE_LEN.load(SeqCst),
                    BAD_REPLY.load(SeqCst)
                ),
            );
            return;
        }
    }
    let n = (LINE_LEN.load(SeqCst) as usize).min(LINE_MAX);
    let mut line = [0u8; LINE_MAX];
    for (b, a) in line.iter_mut().zip(&LINE[..n]) {
        *b = a.load(SeqCst);
    }
    let mut text = &line[..n];
    while let [rest @ .., b'\r' | b'\n'] = text {
        text = rest;
    }
    let shown = core::str::from_utf8(&line[..n.min(60)]).unwrap_or("<not UTF-8>");
    check::that("serial.host_line", text == HOST_LINE, format_args!("read {n} bytes: {shown:?}"));
    if text == HOST_LINE {
        check::ok_eq("serial.write_echo", write(ECHO), ECHO.len() as u64);
    }
}

/// READ until a newline arrives; the bytes go to `LINE`.
fn reader(_: u64) -> i32 {
    let mut n = 0usize;
    for _ in 0..LINE_MAX {
        let info = MsgInfo::new(protocols::label(serial::READ, 0));
        match sys::ipc_call(EP, info, [0; 4]) {
            Ok(m) => {
                let label = m.info.label();
                let k = protocols::len(label);
                if protocols::code(label) != 0 || k == 0 || k > INLINE_BYTES {
                    BAD_REPLY.store(u64::from(label) | 1 << 32, SeqCst);
                    return 2;
                }
                let mut out = [0u8; INLINE_BYTES];
                unpack(m.words, k, &mut out);
                for &b in &out[..k] {
                    if n < LINE_MAX {
                        LINE[n].store(b, SeqCst);
                        n += 1;
                    }
                }
                LINE_LEN.store(n as u64, SeqCst);
                if out[..k].contains(&b'\n') {
                    return 0;
                }
            }
            Err(e) => return 1000 + i32::from(e.code()),
        }
    }
    3
}
