//! A test client of the network driver (`user/virtio-net`, speaking
//! `protocols::net`), run by `cargo xtask test --only net` against a QEMU
//! socket network backend whose other end is the test on the host
//! (`xtask/src/net_tests.rs`).
//!
//! - slot 3: the driver's endpoint (WRITE and GRANT: the attach calls
//!   carry capabilities);
//! - slot 4: a notification of its own that outlives a restart.
//!
//! In its first life it attaches and ends as if it had crashed (the panic
//! exit code), holding the driver's rings; init restarts it (`restart 1`),
//! and the second life must be able to attach: the driver noticed its
//! client's end. Then it attaches (checking an attach without a task is
//! malformed and a second attach refused), prints the MAC and
//! link, sends the guest's frames (`frames`: 20 test frames, then UDP/IPv4
//! and TCP/IPv6 frames marked CHECKSUM_NEEDED), then receives until the
//! host's final frame: the host's 20 test frames and its burst of 1000
//! must all arrive intact and in order (the driver drops none for want of
//! room: it holds the device back instead), between hostile frames it
//! ignores. It prints `netcheck: ok <n> sent <m> received` and exits 0,
//! or a `netcheck: FAIL` line per failure and exits 1.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

extern crate alloc;

mod frames;

use abi::{CapType, Error, MsgInfo, Rights, TASK_SELF_SLOT};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use frames::*;
use protocols::net::{self, Consumer, Producer};
use rt::shared::SharedBuffer;
use rt::{println, sys};

rt::entry!(main);

const ENDPOINT: u64 = 3;
/// A notification only this task holds (`net.manifest`): it outlives the
/// task's first life, which marks it, and tells the restarted life it is
/// the second.
const LIVES: u64 = 4;
/// The bits our notification is signalled with.
const EVENT_BITS: u64 = 1;
/// How long to wait for everything before giving up (a hung test must
/// still end with a reason, before the host's 300 s limit on the boot).
const DEADLINE_NS: u64 = 240_000_000_000;

fn call(label: u32, cap: Option<u64>, words: [u64; 4]) -> Result<sys::Message, String> {
    let info = match cap {
        Some(slot) => MsgInfo::new(label).with_cap(slot),
        None => MsgInfo::new(label),
    };
    sys::ipc_call(ENDPOINT, info, words).map_err(|e| format!("ipc_call({label}) failed: {}", e.name()))
}

fn expect(label: u32, cap: Option<u64>, words: [u64; 4], want: u32) -> Result<sys::Message, String> {
    let m = call(label, cap, words)?;
    if m.info.label() != want {
        return Err(format!("call {label}: reply label {}, expected {want}", m.info.label()));
    }
    Ok(m)
}

/// Waits until the driver answers on its endpoint (it may still be
/// initializing the device, or have failed and exited).
fn wait_for_driver() -> Result<(), String> {
    const DRIVER_WAIT_NS: u64 = 30_000_000_000;
    let start = sys::clock_ns();
    loop {
        match sys::ipc_call(ENDPOINT, MsgInfo::new(net::INFO).nonblocking(), [0; 4]) {
            Ok(_) => return Ok(()),
            Err(Error::WouldBlock) if sys::clock_ns() - start < DRIVER_WAIT_NS => sys::sleep(20_000_000),
            Err(Error::WouldBlock) => return Err("the driver did not answer on its endpoint (see its log line)".into()),
            Err(e) => return Err(format!("ipc_call failed: {}", e.name())),
        }
    }
}

fn derive(slot: u64, rights: Rights) -> Result<u64, String> {
    sys::cap_derive(slot, rights, 0, 0, 0).map_err(|e| format!("cap_derive of slot {slot}: {}", e.name()))
}

struct Attached {
    rings: SharedBuffer,
    tx: Producer,
    rx: Consumer,
    kick: u64,
    events: u64,
    mac: [u8; 6],
    link_up: bool,
}

fn attach() -> Result<Attached, String> {
    wait_for_driver()?;
    expect(net::ATTACH, None, [0; 4], net::MALFORMED).map_err(|e| format!("attach without a task: {e}"))?;
    let task = derive(TASK_SELF_SLOT, Rights::READ | Rights::TRANSFER)?;
    let m = expect(net::ATTACH, Some(task), [0; 4], net::DONE)?;
    let kick = m.info.cap().ok_or("the ATTACH reply carries no capability")?;
    match sys::cap_info(kick) {
        Ok(i) if i.cap_type == CapType::Notification && i.rights.contains(Rights::WRITE) => {}
        other => return Err(format!("the ATTACH reply's capability is not a writable notification: {other:?}")),
    }
    let [mac, mtu, flags, geometry] = m.words;
    let mac = net::mac_from_word(mac);
    println!(
        "netcheck: MAC {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}, MTU {mtu}, link {}, checksum offload {}{}, rings of {} x {} bytes",
        mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
        if flags & net::FLAG_LINK_UP != 0 { "up" } else { "down" },
        if flags & net::FLAG_CHECKSUM_OFFLOAD != 0 { "yes" } else { "no" },
        if flags & net::FLAG_DEVICE_CHECKSUM != 0 { " (by the device)" } else { " (by the driver)" },
        geometry as u32,
        geometry >> 32,
    );
    if flags & net::FLAG_CHECKSUM_OFFLOAD == 0 {
        return Err("the driver offers no checksum offload".into());
    }
    if geometry != u64::from(net::SLOTS) | (net::SLOT_BYTES as u64) << 32 {
        return Err(format!("ring geometry {geometry:#x} is not this protocol's"));
    }
    // A second client is refused while we live.
    let again = derive(TASK_SELF_SLOT, Rights::READ | Rights::TRANSFER)?;
    expect(net::ATTACH, Some(again), [0; 4], net::BUSY).map_err(|e| format!("second attach: {e}"))?;

    let ntfn = sys::notification_create().map_err(|e| format!("notification_create: {}", e.name()))?;
    let signal_only = derive(ntfn, Rights::WRITE | Rights::TRANSFER)?;
    expect(net::EVENTS, Some(signal_only), [EVENT_BITS, 0, 0, 0], net::DONE)?;

    let mem = sys::mem_alloc(net::RING_PAGES, 0).map_err(|e| format!("mem_alloc: {}", e.name()))?;
    let shared = SharedBuffer::map(mem, net::RING_PAGES).map_err(|e| format!("mapping the rings: {}", e.name()))?;
    let for_driver = derive(mem, Rights::READ | Rights::WRITE | Rights::TRANSFER)?;
    expect(net::RINGS, Some(for_driver), [net::RING_PAGES, 0, 0, 0], net::DONE)?;
    Ok(Attached {
        rings: shared,
        tx: Producer::new(net::TRANSMIT),
        rx: Consumer::new(net::RECEIVE),
        kick,
        events: ntfn,
        mac,
        link_up: flags & net::FLAG_LINK_UP != 0,
    })
}

/// Waits for the driver's signal; false past the deadline.
fn wait(a: &Attached, start: u64) -> bool {
    let _ = sys::notify_wait(a.events, 1_000_000_000);
    sys::clock_ns() - start < DEADLINE_NS
}

fn send_all(a: &mut Attached, frames: &[(Vec<u8>, u32)], start: u64) -> Result<(), String> {
    for (frame, flags) in frames {
        loop {
            match a.tx.push(&a.rings, frame, *flags) {
                Ok(()) => break,
                Err(net::PushError::Full) => {
                    let _ = sys::notify_signal(a.kick, 1);
                    if !wait(a, start) {
                        return Err("the transmit ring stayed full".into());
                    }
                }
                Err(e) => return Err(format!("pushing a frame: {e:?}")),
            }
        }
        let _ = sys::notify_signal(a.kick, 1);
    }
    Ok(())
}

/// What arrived.
struct Received {
    /// Next index expected of each kind.
    host: u32,
    burst: u32,
    done: bool,
    frames: u32,
    ignored: u32,
    valid: u32,
    failures: Vec<String>,
}

impl Received {
    fn take(&mut self, frame: &[u8], flags: u32, mac: [u8; 6]) {
        if flags & net::DATA_VALID != 0 {
            self.valid += 1;
        }
        let Some((kind, index)) = identify(frame) else {
            self.ignored += 1;
            return;
        };
        let next = match kind {
            KIND_HOST => &mut self.host,
            KIND_BURST => &mut self.burst,
            KIND_FINAL => {
                self.done = true;
                &mut 0
            }
            _ => {
                self.failures.push(format!("a test frame of unknown kind {kind}, index {index}"));
                return;
            }
        };
        self.frames += 1;
        if index != *next {
            self.failures.push(format!("frame {} {index} arrived when {} was next", kind as char, *next));
        }
        *next = index + 1;
        let want = test_frame(kind, index, mac, HOST_MAC);
        if frame != want.as_slice() {
            let at = frame.iter().zip(&want).position(|(a, b)| a != b).unwrap_or(frame.len().min(want.len()));
            self.failures.push(format!(
                "frame {} {index}: {} bytes, expected {}; first difference at byte {at}",
                kind as char,
                frame.len(),
                want.len()
            ));
        }
    }
}

fn receive_all(a: &mut Attached, start: u64) -> Received {
    let mut r = Received { host: 0, burst: 0, done: false, frames: 0, ignored: 0, valid: 0, failures: Vec::new() };
    let mut buf = [0u8; net::FRAME_MAX];
    while !r.done {
        let mut took = 0;
        loop {
            match a.rx.pop(&a.rings, &mut buf) {
                Ok(Some((len, flags))) => {
                    r.take(&buf[..len], flags, a.mac);
                    took += 1;
                }
                Ok(None) => break,
                Err(bogus) => {
                    r.failures.push(format!("the driver's receive ring is bogus: {bogus:?}"));
                    return r;
                }
            }
        }
        if took > 0 {
            // Room on the receive ring: the driver may have held frames back.
            let _ = sys::notify_signal(a.kick, 1);
            continue;
        }
        if !wait(a, start) {
            r.failures.push(format!(
                "the host's final frame did not arrive ({} host, {} burst frames so far)",
                r.host, r.burst
            ));
            return r;
        }
    }
    if r.host != HOST_FRAMES || r.burst != BURST_FRAMES {
        r.failures.push(format!(
            "received {} of {HOST_FRAMES} host frames and {} of {BURST_FRAMES} burst frames before the final one",
            r.host, r.burst
        ));
    }
    r
}

/// Whether this is the task's first life (see `LIVES`): the first finds
/// the notification empty, and marks it.
fn first_life() -> bool {
    match sys::notify_wait(LIVES, 0) {
        Err(Error::WouldBlock) => {
            let _ = sys::notify_signal(LIVES, 1);
            true
        }
        _ => false,
    }
}

fn main(_arg: u64) -> i32 {
    let start = sys::clock_ns();
    let first = first_life();
    let mut a = match attach() {
        Ok(a) => a,
        Err(why) => {
            println!("netcheck: FAIL attach{}: {why}", if first { "" } else { " after a restart" });
            return 1;
        }
    };
    if first {
        // Attached, rings and all: end as a crash would, without detaching.
        // init restarts us, and the driver must let the new life attach.
        println!("netcheck: first life attached; ending with the panic exit code so init restarts it");
        sys::task_exit(rt::PANIC_EXIT_CODE);
    }
    println!("netcheck: attached again after a restart (the driver forgot its dead client)");
    let link = a.rings.load_u32(net::LINK) & net::LINK_UP != 0;
    if link != a.link_up {
        println!("netcheck: FAIL link: the rings' link word says {link}, ATTACH said {}", a.link_up);
        return 1;
    }
    let mut frames: Vec<(Vec<u8>, u32)> =
        (0..GUEST_FRAMES).map(|i| (test_frame(KIND_GUEST, i, BROADCAST, a.mac), 0)).collect();
    for i in 0..OFFLOADED_FRAMES {
        frames.push((udp4_frame(i, a.mac), net::CHECKSUM_NEEDED));
    }
    for i in 0..OFFLOADED_FRAMES {
        frames.push((tcp6_frame(i, a.mac), net::CHECKSUM_NEEDED));
    }
    if let Err(why) = send_all(&mut a, &frames, start) {
        println!("netcheck: FAIL send: {why}");
        return 1;
    }
    println!("netcheck: sent {} frames", frames.len());
    let r = receive_all(&mut a, start);
    for failure in &r.failures {
        println!("netcheck: FAIL {failure}");
    }
    if !r.failures.is_empty() {
        return 1;
    }
    println!(
        "netcheck: ok {} sent {} received ({} other frames ignored, {} marked DATA_VALID)",
        frames.len(),
        r.frames,
        r.ignored,
        r.valid
    );
    0
}
