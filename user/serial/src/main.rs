//! The COM2 driver, in user space: a 16550 UART reached only through the
//! capabilities init grants it (`user/manifests/*.manifest`):
//!
//! - slot 3: the UART's eight I/O ports (`IoPorts`, READ|WRITE);
//! - slot 4: its interrupt line (`Irq`, READ);
//! - slot 5: the endpoint it serves (`Endpoint`, READ).
//!
//! It speaks `protocols::serial`: `WRITE` sends up to 32 bytes (polling the
//! transmitter), `READ` answers with up to 32 received bytes, waiting for
//! input if there is none. Input is interrupt-driven: a second thread waits
//! on the notification the line is bound to, moves the receive FIFO into a
//! buffer and answers the READs that were waiting (their reply rights
//! saved with `reply_save`), while the main thread serves requests.
//!
//! Each saved reply is answered exactly once: it is queued and dequeued
//! under the same lock as the input buffer, and a READ is either answered
//! at once (input buffered) or queued, never both.

#![no_std]
#![no_main]

extern crate alloc;

use abi::{CapType, Error, MsgInfo, FOREVER};
use alloc::collections::VecDeque;
use core::sync::atomic::{AtomicU64, Ordering};
use protocols::serial::{ERROR, READ, WRITE};
use protocols::INLINE_BYTES;
use rt::lock::SpinLock;
use rt::{println, sys};

rt::entry!(main);

/// Granted capabilities (see the module documentation).
const PORTS: u64 = 3;
const IRQ: u64 = 4;
const ENDPOINT: u64 = 5;

/// The line the host waits for before it sends input.
const GREETING: &[u8] = b"serial: COM2 driven from user space\r\n";

/// 16550 registers, as offsets from the base port.
const RBR_THR: u64 = 0; // receive / transmit holding; divisor low with DLAB
const IER: u64 = 1; // interrupt enable; divisor high with DLAB
const IIR_FCR: u64 = 2; // interrupt identification / FIFO control
const LCR: u64 = 3;
const MCR: u64 = 4;
const LSR: u64 = 5;
const MSR: u64 = 6;
const SCR: u64 = 7;

const LCR_DLAB: u64 = 0x80;
const LCR_8N1: u64 = 0x03;
/// FIFOs on and cleared, an interrupt for every received byte.
const FCR_ENABLE_CLEAR: u64 = 0x07;
/// DTR, RTS and OUT2 (which connects the UART's interrupt to the PIC/APIC).
const MCR_DTR_RTS_OUT2: u64 = 0x0b;
const IER_RX_AVAILABLE: u64 = 0x01;
const LSR_DATA_READY: u64 = 0x01;
const LSR_THR_EMPTY: u64 = 0x20;
/// 115200 / 115200: 115200 baud.
const DIVISOR: u64 = 1;

/// The notification bit the interrupt line signals.
const IRQ_BIT: u64 = 1;
/// Received bytes kept for READs; more are dropped (and counted).
const RX_CAPACITY: usize = 4096;
/// Most bytes taken from the FIFO per pass (so a stuck LSR cannot spin us).
const DRAIN_LIMIT: usize = 1024;
/// Polls of LSR for an empty transmitter before writing anyway.
const THRE_POLLS: u32 = 100_000;

/// The UART's first port (from the `IoPorts` capability).
static BASE: AtomicU64 = AtomicU64::new(0);

fn port_in(reg: u64) -> u64 {
    sys::port_in(PORTS, BASE.load(Ordering::Relaxed) + reg, 1).unwrap_or(0)
}

fn port_out(reg: u64, value: u64) -> Result<(), Error> {
    sys::port_out(PORTS, BASE.load(Ordering::Relaxed) + reg, 1, value)
}

/// Whether a UART answers at all: its scratch register keeps a value.
fn present() -> bool {
    [0x5a, 0xa5].iter().all(|&v| port_out(SCR, v).is_ok() && port_in(SCR) == v)
}

/// 115200 8N1, FIFOs, receive interrupts, OUT2.
fn init_uart() -> Result<(), Error> {
    port_out(IER, 0)?;
    port_out(LCR, LCR_DLAB)?;
    port_out(RBR_THR, DIVISOR & 0xff)?;
    port_out(IER, DIVISOR >> 8)?;
    port_out(LCR, LCR_8N1)?;
    port_out(IIR_FCR, FCR_ENABLE_CLEAR)?;
    port_out(MCR, MCR_DTR_RTS_OUT2)?;
    // Clear whatever was pending before us.
    let _ = (port_in(LSR), port_in(RBR_THR), port_in(IIR_FCR), port_in(MSR));
    port_out(IER, IER_RX_AVAILABLE)
}

/// Writes `bytes`, each once the transmitter has room. Returns how many.
fn write_bytes(bytes: &[u8]) -> usize {
    for (n, &b) in bytes.iter().enumerate() {
        let mut polls = 0;
        while port_in(LSR) & LSR_THR_EMPTY == 0 && polls < THRE_POLLS {
            polls += 1;
            core::hint::spin_loop();
        }
        if port_out(RBR_THR, u64::from(b)).is_err() {
            return n;
        }
    }
    bytes.len()
}

struct Shared {
    /// Received bytes not yet read.
    rx: VecDeque<u8>,
    /// Saved reply rights of READs waiting for input, oldest first.
    readers: VecDeque<u64>,
    /// Bytes dropped because the buffer was full.
    dropped: u64,
}

static SHARED: SpinLock<Shared> = SpinLock::new(Shared { rx: VecDeque::new(), readers: VecDeque::new(), dropped: 0 });

impl Shared {
    /// Up to 32 buffered bytes as a READ reply (label len << 8).
    fn take(&mut self) -> (MsgInfo, [u64; 4]) {
        let mut bytes = [0u8; INLINE_BYTES];
        let n = self.rx.len().min(INLINE_BYTES);
        for (slot, b) in bytes.iter_mut().zip(self.rx.drain(..n)) {
            *slot = b;
        }
        (MsgInfo::new(protocols::label(0, n)), protocols::pack(&bytes[..n]))
    }

    /// Answers waiting READs while there is input. A reader that has gone
    /// meanwhile gives its bytes back for the next one.
    fn answer_readers(&mut self) {
        while !self.rx.is_empty() {
            let Some(reply) = self.readers.pop_front() else { break };
            let (info, words) = self.take();
            // The reply capability is used up once the kernel has found it
            // (the caller may be gone by then: PeerGone), so it is answered
            // exactly once; one the kernel refused to use is dropped.
            if let Err(error) = sys::ipc_reply(reply, info, words) {
                if matches!(error, Error::Revoked | Error::WrongType | Error::InvalidArgument) {
                    let _ = sys::cap_delete(reply);
                }
                let mut back = [0u8; INLINE_BYTES];
                let n = protocols::unpack(words, protocols::len(info.label()), &mut back);
                for &b in back[..n].iter().rev() {
                    self.rx.push_front(b);
                }
            }
        }
    }
}

/// Moves what the receive FIFO holds into the buffer and answers waiting
/// READs. Returns the bytes moved.
fn drain_rx() -> usize {
    let mut got = [0u8; 64];
    let mut total = 0;
    while total < DRAIN_LIMIT {
        let mut n = 0;
        while n < got.len() && port_in(LSR) & LSR_DATA_READY != 0 {
            got[n] = (port_in(RBR_THR) & 0xff) as u8;
            n += 1;
        }
        if n == 0 {
            break;
        }
        total += n;
        SHARED.with(|s| {
            for &b in &got[..n] {
                if s.rx.len() < RX_CAPACITY {
                    s.rx.push_back(b);
                } else {
                    s.dropped += 1;
                }
            }
            s.answer_readers();
        });
    }
    total
}

/// The interrupt thread: `ntfn` is the notification the line is bound to.
fn interrupts(ntfn: u64) -> i32 {
    loop {
        // Input that arrived before the line was bound, or between the last
        // drain and the acknowledgement, raised no new interrupt edge.
        drain_rx();
        if let Err(error) = sys::notify_wait(ntfn, FOREVER) {
            println!("serial: waiting for the interrupt failed: {}", error.name());
            sys::sleep(100_000_000);
            continue;
        }
        drain_rx();
        if let Err(error) = sys::irq_ack(IRQ) {
            println!("serial: irq_ack failed: {}", error.name());
        }
    }
}

/// One request: the reply to send now, or None if it was saved for later.
fn handle(msg: &sys::Message) -> Option<(MsgInfo, [u64; 4])> {
    // The protocol carries no capabilities; one that came along is dropped.
    if let Some(slot) = msg.info.cap() {
        let _ = sys::cap_delete(slot);
    }
    let label = msg.info.label();
    match protocols::code(label) {
        WRITE => {
            let mut bytes = [0u8; INLINE_BYTES];
            let n = protocols::unpack(msg.words, protocols::len(label), &mut bytes);
            let written = write_bytes(&bytes[..n]);
            Some((MsgInfo::new(0), [written as u64, 0, 0, 0]))
        }
        READ => SHARED.with(|s| {
            if !s.rx.is_empty() {
                return Some(s.take());
            }
            match sys::reply_save() {
                Ok(reply) => {
                    s.readers.push_back(reply);
                    None
                }
                // A send, not a call: nobody to answer.
                Err(Error::InvalidState) => None,
                Err(_) => Some((MsgInfo::new(ERROR), [0; 4])),
            }
        }),
        _ => Some((MsgInfo::new(ERROR), [0; 4])),
    }
}

/// Serves the endpoint forever.
fn serve() -> ! {
    let mut reply: Option<(MsgInfo, [u64; 4])> = None;
    loop {
        let received = match reply.take() {
            Some((info, words)) => sys::ipc_reply_recv(ENDPOINT, info, words),
            None => sys::ipc_recv(ENDPOINT, FOREVER),
        };
        match received {
            Ok(msg) => reply = handle(&msg),
            Err(error) => {
                println!("serial: receiving failed: {}", error.name());
                sys::sleep(100_000_000);
            }
        }
    }
}

fn main(_arg: u64) -> i32 {
    let ports = match sys::cap_info(PORTS) {
        Ok(info) if info.cap_type == CapType::IoPorts && info.len >= 8 => info,
        Ok(info) => {
            println!(
                "serial: slot {PORTS} is not a UART's ports ({} {:#x}+{})",
                info.cap_type.name(),
                info.base,
                info.len
            );
            return 2;
        }
        Err(error) => {
            println!("serial: no ports in slot {PORTS}: {}", error.name());
            return 2;
        }
    };
    BASE.store(ports.base, Ordering::Relaxed);
    if !present() {
        println!("serial: no UART answers at {:#x}", ports.base);
        return 3;
    }
    if let Err(error) = init_uart() {
        println!("serial: cannot program the UART at {:#x}: {}", ports.base, error.name());
        return 4;
    }
    let ntfn = match sys::notification_create() {
        Ok(slot) => slot,
        Err(error) => {
            println!("serial: cannot create a notification: {}", error.name());
            return 5;
        }
    };
    if let Err(error) = sys::irq_bind(IRQ, ntfn, IRQ_BIT) {
        println!("serial: cannot bind the interrupt line: {}", error.name());
        return 6;
    }
    if let Err(error) = rt::thread::spawn(interrupts, ntfn) {
        println!("serial: cannot start the interrupt thread: {}", error.name());
        return 7;
    }
    write_bytes(GREETING);
    match sys::cap_info(IRQ) {
        Ok(irq) => {
            println!("serial: UART at {:#x}, IRQ {}, serving the endpoint in slot {ENDPOINT}", ports.base, irq.base)
        }
        Err(_) => println!("serial: UART at {:#x}, serving the endpoint in slot {ENDPOINT}", ports.base),
    }
    serve()
}
