//! A test client of the block driver (`user/virtio-blk`, speaking
//! `protocols::block`), run by `cargo xtask test --only native` against a
//! disk image the host filled with a known pattern.
//!
//! - slot 3: the driver's endpoint (WRITE);
//! - argument: the disk's expected capacity in sectors (0: not checked).
//!
//! The host's pattern: the 64-bit little-endian word at byte `o` of the
//! disk is `HOST_MAGIC | o`. This program reads it back (through the whole
//! buffer, at offsets, at the end of the disk), writes `NEW_MAGIC | o` over
//! sectors `WRITE_FIRST .. WRITE_FIRST + WRITE_COUNT`, reads that back,
//! flushes, checks the error replies, and prints `blkcheck: ok (<n>
//! checks)`. The host then checks the image holds exactly the new pattern
//! there and the old one everywhere else (`xtask/src/native_tests.rs`).
//!
//! The shared DMA buffer is an `rt::shared::SharedBuffer`: the device
//! writes it only while this program waits in a call to the driver.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

extern crate alloc;

use abi::{CapType, MsgInfo, Rights, PAGE_SIZE};
use alloc::format;
use alloc::string::String;
use protocols::block;
use rt::shared::SharedBuffer;
use rt::{println, sys};

rt::entry!(main);

const ENDPOINT: u64 = 3;
const SECTOR: u64 = block::SECTOR;
/// Must match `xtask/src/native_tests.rs`.
const HOST_MAGIC: u64 = 0x484c_0000_0000_0000;
const NEW_MAGIC: u64 = 0x5752_0000_0000_0000;
const WRITE_FIRST: u64 = 4096;
const WRITE_COUNT: u64 = 300;
const JUNK: u64 = 0xdead_beef_dead_beef;

/// The shared buffer, read and written in 64-bit words.
struct Buffer(SharedBuffer);

impl Buffer {
    fn at(&self, off: u64) -> usize {
        assert!(off.is_multiple_of(8) && off + 8 <= self.0.len() as u64, "offset {off:#x} outside the buffer");
        off as usize
    }

    fn read(&self, off: u64) -> u64 {
        let at = self.at(off);
        let mut word = [0u8; 8];
        word.copy_from_slice(&self.0.bytes()[at..at + 8]);
        u64::from_le_bytes(word)
    }

    fn write(&mut self, off: u64, value: u64) {
        let at = self.at(off);
        self.0.bytes_mut()[at..at + 8].copy_from_slice(&value.to_le_bytes());
    }

    fn fill(&mut self, from: u64, len: u64, f: impl Fn(u64) -> u64) {
        for i in (0..len).step_by(8) {
            self.write(from + i, f(i));
        }
    }

    /// The first word in `[from, from + len)` that differs from `f(i)`.
    fn differs(&self, from: u64, len: u64, f: impl Fn(u64) -> u64) -> Option<(u64, u64, u64)> {
        (0..len).step_by(8).map(|i| (i, self.read(from + i), f(i))).find(|(_, got, want)| got != want)
    }
}

/// The disk's contents after this program ran: what the host checks.
fn expected_word(disk_off: u64) -> u64 {
    let sector = disk_off / SECTOR;
    if (WRITE_FIRST..WRITE_FIRST + WRITE_COUNT).contains(&sector) {
        NEW_MAGIC | disk_off
    } else {
        HOST_MAGIC | disk_off
    }
}

struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    fn check(&mut self, name: &str, result: Result<(), String>) -> bool {
        match result {
            Ok(()) => {
                self.passed += 1;
                true
            }
            Err(why) => {
                self.failed += 1;
                println!("blkcheck: FAIL {name}: {why}");
                false
            }
        }
    }
}

fn call(label: u32, words: [u64; 4]) -> Result<sys::Message, String> {
    sys::ipc_call(ENDPOINT, MsgInfo::new(label), words).map_err(|e| format!("ipc_call failed: {}", e.name()))
}

/// A request that must be answered with `want`.
fn expect(label: u32, words: [u64; 4], want: u32) -> Result<sys::Message, String> {
    let m = call(label, words)?;
    if m.info.label() != want {
        return Err(format!("label {label} {words:x?}: reply label {}, expected {want}", m.info.label()));
    }
    Ok(m)
}

fn io(label: u32, sector: u64, count: u64, offset: u64) -> Result<(), String> {
    let m = expect(label, [sector, count, offset, 0], block::DONE)?;
    if m.words[0] != count {
        return Err(format!("reply says {} sectors, asked for {count}", m.words[0]));
    }
    Ok(())
}

/// Waits until the driver receives on its endpoint (it may still be
/// initializing the device, or may have failed and exited, in which case
/// a plain call would wait forever): non-blocking INFO calls, 20 ms apart,
/// for at most `DRIVER_WAIT_NS`.
fn wait_for_driver() -> Result<(), String> {
    const DRIVER_WAIT_NS: u64 = 20_000_000_000;
    let start = sys::clock_ns();
    loop {
        match sys::ipc_call(ENDPOINT, MsgInfo::new(block::INFO).nonblocking(), [0; 4]) {
            Ok(_) => return Ok(()),
            Err(abi::Error::WouldBlock) if sys::clock_ns() - start < DRIVER_WAIT_NS => sys::sleep(20_000_000),
            Err(abi::Error::WouldBlock) => {
                return Err(format!(
                    "the driver did not answer on its endpoint for {} s (see its log line)",
                    DRIVER_WAIT_NS / 1_000_000_000
                ))
            }
            Err(e) => return Err(format!("ipc_call failed: {}", e.name())),
        }
    }
}

fn main(arg: u64) -> i32 {
    let mut c = Checks { passed: 0, failed: 0 };
    if let Err(why) = wait_for_driver() {
        println!("blkcheck: FAIL driver: {why}");
        return 1;
    }
    let info = match expect(block::INFO, [0; 4], block::DONE) {
        Ok(m) => m,
        Err(why) => {
            println!("blkcheck: FAIL info: {why}");
            return 1;
        }
    };
    let [capacity, buffer_len, flags, block_size] = info.words;
    println!(
        "blkcheck: disk of {capacity} sectors, buffer {buffer_len} bytes, flags {flags:#x}, block size {block_size}"
    );
    c.check(
        "info.capacity",
        if arg == 0 || capacity == arg { Ok(()) } else { Err(format!("capacity {capacity}, the host made {arg}")) },
    );
    let buffer_ok = c.check(
        "info.buffer",
        if buffer_len >= 64 * 1024 && buffer_len % PAGE_SIZE == 0 && buffer_len <= 64 << 20 {
            Ok(())
        } else {
            Err(format!("odd buffer size {buffer_len}"))
        },
    );
    c.check(
        "info.writable",
        if flags & block::FLAG_READ_ONLY == 0 {
            Ok(())
        } else {
            Err(format!("the disk is read-only (flags {flags:#x})"))
        },
    );
    if !buffer_ok || capacity < WRITE_FIRST + WRITE_COUNT {
        println!("blkcheck: the disk ({capacity} sectors) or buffer ({buffer_len} bytes) is too small to go on");
        return 1;
    }

    // The buffer: a Dma capability, read-write, as large as INFO said.
    let slot = match expect(block::BUFFER, [0; 4], block::DONE)
        .and_then(|m| m.info.cap().ok_or_else(|| String::from("the BUFFER reply carries no capability")))
    {
        Ok(slot) => slot,
        Err(why) => {
            println!("blkcheck: FAIL buffer: {why}");
            return 1;
        }
    };
    c.check(
        "buffer.cap",
        match sys::cap_info(slot) {
            Ok(i)
                if i.cap_type == CapType::Dma
                    && i.rights.contains(Rights::READ | Rights::WRITE)
                    && i.len == buffer_len =>
            {
                Ok(())
            }
            Ok(i) => Err(format!("{} {:?} of {} bytes", i.cap_type.name(), i.rights, i.len)),
            Err(e) => Err(e.name().into()),
        },
    );
    let mut buf = match SharedBuffer::map(slot, buffer_len / PAGE_SIZE) {
        Ok(shared) => Buffer(shared),
        Err(e) => {
            println!("blkcheck: FAIL buffer.map: {}", e.name());
            return 1;
        }
    };
    let whole = (buffer_len / SECTOR).min(capacity);
    let host = |disk: u64| move |i: u64| HOST_MAGIC | (disk + i);

    // The host's pattern through the whole buffer at once.
    buf.fill(0, buffer_len, |_| JUNK);
    let t0 = sys::clock_ns();
    let r = io(block::READ, 0, whole, 0);
    let ns = sys::clock_ns() - t0;
    if c.check("read.whole_buffer", r) {
        println!("blkcheck: read {} KiB in one request in {} us", whole / 2, ns / 1000);
        c.check(
            "read.whole_buffer_data",
            buf.differs(0, whole * SECTOR, host(0))
                .map_or(Ok(()), |d| Err(format!("at {:#x}: {:#x}, expected {:#x}", d.0, d.1, d.2))),
        );
    }

    // The end of the disk, at an offset: only the named bytes change.
    buf.fill(0, 4 * PAGE_SIZE, |_| JUNK);
    let last = capacity - 8;
    if c.check("read.end_at_offset", io(block::READ, last, 8, 2 * PAGE_SIZE)) {
        c.check(
            "read.end_at_offset_data",
            buf.differs(2 * PAGE_SIZE, PAGE_SIZE, host(last * SECTOR))
                .map_or(Ok(()), |d| Err(format!("at {:#x}: {:#x}", d.0, d.1))),
        );
        let untouched = buf.differs(0, 2 * PAGE_SIZE, |_| JUNK).or(buf.differs(3 * PAGE_SIZE, PAGE_SIZE, |_| JUNK));
        c.check(
            "read.end_at_offset_only",
            untouched.map_or(Ok(()), |d| Err(format!("byte {:#x} outside the request changed", d.0))),
        );
    }

    // A new pattern over WRITE_FIRST.., read back after the buffer is
    // scrambled, and the sectors around it untouched.
    let first = WRITE_FIRST * SECTOR;
    buf.fill(0, WRITE_COUNT * SECTOR, |i| NEW_MAGIC | (first + i));
    c.check("write.range", io(block::WRITE, WRITE_FIRST, WRITE_COUNT, 0));
    buf.fill(0, buffer_len, |_| JUNK);
    if c.check("write.read_back", io(block::READ, WRITE_FIRST, WRITE_COUNT, SECTOR)) {
        c.check(
            "write.read_back_data",
            buf.differs(SECTOR, WRITE_COUNT * SECTOR, |i| NEW_MAGIC | (first + i))
                .map_or(Ok(()), |d| Err(format!("at {:#x}: {:#x}, expected {:#x}", d.0, d.1, d.2))),
        );
    }
    let around = (WRITE_FIRST - 2) * SECTOR;
    if c.check("write.edges", io(block::READ, WRITE_FIRST - 2, WRITE_COUNT + 4, 0)) {
        c.check(
            "write.edges_data",
            buf.differs(0, (WRITE_COUNT + 4) * SECTOR, |i| expected_word(around + i))
                .map_or(Ok(()), |d| Err(format!("at disk byte {:#x}: {:#x}, expected {:#x}", around + d.0, d.1, d.2))),
        );
    }
    // A one-sector write in the middle, read back, then restored.
    buf.fill(0, SECTOR, |i| NEW_MAGIC | (first + i));
    c.check("write.single", io(block::WRITE, WRITE_FIRST, 1, 0));
    c.check("flush", expect(block::FLUSH, [0; 4], block::DONE).map(|_| ()));

    // Error replies.
    let errors: [(&str, u32, [u64; 4], u32); 12] = [
        ("error.past_end", block::READ, [capacity - 1, 2, 0, 0], block::OUT_OF_RANGE),
        ("error.at_end", block::READ, [capacity, 1, 0, 0], block::OUT_OF_RANGE),
        ("error.sector_overflow", block::READ, [u64::MAX, 2, 0, 0], block::OUT_OF_RANGE),
        ("error.misaligned_offset", block::READ, [0, 1, 100, 0], block::MALFORMED),
        ("error.misaligned_write", block::WRITE, [0, 1, 256, 0], block::MALFORMED),
        ("error.zero_count", block::READ, [0, 0, 0, 0], block::MALFORMED),
        ("error.huge_count", block::READ, [0, u64::MAX, 0, 0], block::OUT_OF_RANGE),
        ("error.count_past_buffer", block::READ, [0, buffer_len / SECTOR + 1, 0, 0], block::OUT_OF_RANGE),
        ("error.offset_past_buffer", block::READ, [0, 1, buffer_len, 0], block::OUT_OF_RANGE),
        ("error.huge_offset", block::WRITE, [0, 1, u64::MAX - 511, 0], block::OUT_OF_RANGE),
        ("error.unknown_request", 99, [1, 2, 3, 4], block::UNSUPPORTED),
        ("error.label_zero", 0, [0; 4], block::UNSUPPORTED),
    ];
    for (name, label, words, want) in errors {
        c.check(name, expect(label, words, want).map(|_| ()));
    }
    // A request carrying a capability: refused as unknown, the driver lives on.
    c.check(
        "error.with_cap",
        sys::ipc_call(ENDPOINT, MsgInfo::new(77).with_cap(slot), [0; 4]).map_err(|e| String::from(e.name())).and_then(
            |m| {
                if m.info.label() == block::UNSUPPORTED {
                    Ok(())
                } else {
                    Err(format!("label {}", m.info.label()))
                }
            },
        ),
    );
    // Still serving, and the data is still right.
    buf.fill(0, PAGE_SIZE, |_| JUNK);
    if c.check("after_errors.read", io(block::READ, WRITE_FIRST - 1, 8, 0)) {
        c.check(
            "after_errors.data",
            buf.differs(0, 8 * SECTOR, |i| expected_word((WRITE_FIRST - 1) * SECTOR + i))
                .map_or(Ok(()), |d| Err(format!("at {:#x}: {:#x}", d.0, d.1))),
        );
    }

    if c.failed == 0 {
        println!("blkcheck: ok ({} checks)", c.passed);
        0
    } else {
        println!("blkcheck: {} of {} checks failed", c.failed, c.passed + c.failed);
        1
    }
}
