//! The virtio-blk driver, in user space: a virtio 1.x block device on PCI
//! (QEMU's `virtio-blk-pci`, vendor 0x1af4, device 0x1042, or a
//! transitional 0x1001 driven through its modern interface), reached only
//! through the capabilities init grants it (`user/manifests/blk.manifest`).
//! It looks at each granted slot from 3 on and takes, by type:
//!
//! - `IoPorts` covering 0xcf8..0xd00: PCI configuration space;
//! - `Mmio` (one or more, read-write): device memory that must cover the
//!   BAR ranges the virtio capabilities point into;
//! - `Endpoint` (READ): the endpoint it serves;
//! - `Irq` (one line each): the INTx lines the device may raise. On q35
//!   a function on bus 0 raises GSI `20 + (slot + pin - 1) % 4` (PIRQ E-H,
//!   QEMU's ICH9 default routing); xtask pins the disk to slot 1, so the
//!   manifests grant line 21 alone (line 22 is virtio-net's).
//!
//! It finds the function by scanning bus 0 (and buses behind bridges),
//! enables memory decoding, bus mastering and INTx, maps the common,
//! notify, ISR and device configuration structures, initializes the
//! device (reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue 0,
//! DRIVER_OK), and serves `protocols::block` with one DMA buffer it shares
//! with its clients, which the device reads and writes directly.
//!
//! Requests are served one at a time. While the device works, the driver
//! sleeps on a notification every granted line is bound to (bit = line);
//! an interrupt is acknowledged at the device (reading the ISR, which
//! deasserts INTx) before the line is unmasked (`irq_ack`). The first line
//! that fires with our ISR set is ours (logged once); a line firing for
//! somebody else after that is left masked.
//!
//! What any virtio driver needs (PCI discovery, register windows, the
//! split virtqueue, the transport's initialization) is the `virtio` crate;
//! here are the block device and the protocol served. `unsafe` is only in
//! `virtio::window`: volatile access to MMIO and DMA memory.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

extern crate alloc;

mod device;

use abi::{CapType, Error, MsgInfo, Rights, FOREVER, MAX_SPAWN_CAPS, PAGE_SIZE};
use alloc::format;
use alloc::vec::Vec;
use device::Device;
use protocols::block;
use rt::{println, sys};
use virtio::{pci, Config, Regs, Segment};

rt::entry!(main);

/// The shared data buffer: 256 KiB.
const BUFFER_PAGES: u64 = 64;
/// Where device registers and DMA memory are mapped (after rt's heap and
/// thread stacks, which end at 0x6000_0000_0000).
const MMIO_BASE: u64 = 0x6000_0000_0000;
const QUEUE_VADDR: u64 = 0x6100_0000_0000;
/// How long one wait for the device lasts before the used ring is looked
/// at anyway; and after how long without progress the device is given up.
const WAIT_SLICE_NS: u64 = 1_000_000_000;
const DEVICE_DEADLINE_NS: u64 = 30_000_000_000;
const SECTOR: u64 = block::SECTOR;
/// Virtio 1.x ("modern") block device: 0x1040 + device type 2.
const DEVICE_BLK_MODERN: u16 = 0x1042;
/// Transitional block device: accepted, but driven through its modern
/// interface only (its virtio capabilities), never the legacy I/O BAR.
const DEVICE_BLK_TRANSITIONAL: u16 = 0x1001;
/// The fewest bytes of device configuration read: the capacity.
const CONFIG_MIN: u64 = 8;

/// The granted capabilities, by type.
struct Grants {
    ports: Option<u64>,
    mmio: Vec<(u64, u64, u64)>, // slot, base, len
    endpoint: Option<u64>,
    irqs: Vec<(u64, u8)>, // slot, line
}

fn grants() -> Grants {
    let mut g = Grants { ports: None, mmio: Vec::new(), endpoint: None, irqs: Vec::new() };
    for slot in abi::FIRST_GRANTED_SLOT..abi::FIRST_GRANTED_SLOT + MAX_SPAWN_CAPS as u64 {
        let Ok(info) = sys::cap_info(slot) else { continue };
        let rights = info.rights;
        match info.cap_type {
            CapType::IoPorts
                if g.ports.is_none()
                    && info.base <= 0xcf8
                    && info.base + info.len >= 0xd00
                    && rights.contains(Rights::READ | Rights::WRITE) =>
            {
                g.ports = Some(slot)
            }
            CapType::Mmio if rights.contains(Rights::READ | Rights::WRITE) => g.mmio.push((slot, info.base, info.len)),
            CapType::Endpoint if g.endpoint.is_none() && rights.contains(Rights::READ) => g.endpoint = Some(slot),
            CapType::Irq if info.len == 1 && info.base < abi::IRQ_LINES => g.irqs.push((slot, info.base as u8)),
            _ => {
                println!("virtio-blk: ignoring slot {slot} ({} {:#x}+{:#x})", info.cap_type.name(), info.base, info.len)
            }
        }
    }
    g
}

fn main(_arg: u64) -> i32 {
    match start() {
        Ok(mut driver) => driver.serve(),
        Err((code, why)) => {
            println!("virtio-blk: {why}");
            code
        }
    }
}

type StartError = (i32, alloc::string::String);

fn start() -> Result<Driver, StartError> {
    let g = grants();
    let ports = g.ports.ok_or((2, "no I/O port capability for PCI configuration space (0xcf8-0xcff, rw)".into()))?;
    let endpoint = g.endpoint.ok_or((2, "no endpoint to serve (READ)".into()))?;
    if g.mmio.is_empty() {
        return Err((2, "no mmio capability (rw) to map the device's registers with".into()));
    }
    if g.irqs.is_empty() {
        return Err((2, "no interrupt lines granted".into()));
    }
    let cfg = Config::new(ports);
    let io = |e: Error| (3, format!("PCI configuration space access failed: {}", e.name()));
    let (found, functions) = cfg.find(&[DEVICE_BLK_MODERN, DEVICE_BLK_TRANSITIONAL]).map_err(io)?;
    let Some((f, device_id)) = found else {
        return Err((3, format!("no virtio-blk device (1af4:1042 or 1af4:1001) among {functions} PCI functions")));
    };
    let caps = cfg.virtio_caps(f).map_err(io)?;
    if caps.is_empty() {
        return Err((4, format!("{f} (1af4:{device_id:04x}) has no virtio PCI capabilities: a legacy-only device, which this driver does not drive")));
    }
    // Memory space and bus mastering on, INTx allowed.
    let command = cfg.read16(f, pci::COMMAND).map_err(io)?;
    cfg.write16(
        f,
        pci::COMMAND,
        (command | pci::COMMAND_MEMORY | pci::COMMAND_BUS_MASTER) & !pci::COMMAND_INTX_DISABLE,
    )
    .map_err(io)?;
    let pin = cfg.read8(f, pci::INTERRUPT_PIN).map_err(io)?;
    if !(1..=4).contains(&pin) {
        return Err((4, format!("{f} has no INTx pin ({pin}); this driver needs INTx")));
    }
    // QEMU q35 (ICH9): slot s, pin p (1 = INTA) on bus 0 -> PIRQ E-H -> GSI 20 + (s + p - 1) % 4.
    let expected = (f.bus == 0).then(|| 20 + (f.dev + pin - 1) % 4);
    let (regs, bars) = Regs::map(&cfg, f, &caps, &g.mmio, MMIO_BASE, CONFIG_MIN).map_err(|why| (4, why))?;
    let dev = device::init(regs, QUEUE_VADDR).map_err(|why| (5, format!("{f}: {why}")))?;

    let buffer = sys::mem_alloc(BUFFER_PAGES, abi::MEM_DMA)
        .map_err(|e| (6, format!("cannot allocate the {} KiB DMA buffer: {}", BUFFER_PAGES * 4, e.name())))?;
    let buffer_phys = sys::mem_phys(buffer, 0).map_err(|e| (6, format!("mem_phys of the buffer: {}", e.name())))?;
    // The capability clients get: read-write, transferable so it can
    // travel in a reply, nothing else.
    let shared = sys::cap_derive(buffer, Rights::READ | Rights::WRITE | Rights::TRANSFER, 0, 0, 0)
        .map_err(|e| (6, format!("cannot derive the clients' buffer capability: {}", e.name())))?;

    let ntfn = sys::notification_create().map_err(|e| (7, format!("cannot create a notification: {}", e.name())))?;
    let mut lines = Vec::new();
    for &(slot, line) in &g.irqs {
        match sys::irq_bind(slot, ntfn, 1 << line) {
            Ok(()) => lines.push((slot, line)),
            Err(e) => println!("virtio-blk: cannot bind IRQ line {line}: {}", e.name()),
        }
    }
    if lines.is_empty() {
        return Err((7, "none of the granted interrupt lines could be bound".into()));
    }
    if let Some(gsi) = expected {
        if !lines.iter().any(|&(_, l)| l == gsi) {
            println!(
                "virtio-blk: warning: {f} INT{}# should arrive on GSI {gsi}, which is not among the bound lines",
                (b'A' + pin - 1) as char
            );
        }
    }
    let mut traits = alloc::vec![alloc::string::String::from(if dev.read_only() { "read-only" } else { "read-write" })];
    if dev.can_flush() {
        traits.push("flush".into());
    }
    if let Some(s) = dev.size_max {
        traits.push(format!("size_max {s}"));
    }
    if let Some(s) = dev.seg_max {
        traits.push(format!("seg_max {s}"));
    }
    let gsi = expected.map_or("?".into(), |g| format!("{g}"));
    println!(
        "virtio-blk: {} sectors ({} KiB), {}, block size {}; PCI {f} 1af4:{device_id:04x}, {bars}, INT{}# (GSI {gsi} expected); queue of {}, features {:#x} of {:#x}; buffer {} KiB; serving slot {endpoint}",
        dev.capacity,
        dev.capacity / 2,
        traits.join(", "),
        dev.blk_size,
        (b'A' + pin - 1) as char,
        dev.queue.size(),
        dev.features,
        dev.offered,
        BUFFER_PAGES * 4,
    );
    Ok(Driver {
        dev,
        endpoint,
        ntfn,
        lines,
        ours: None,
        expected,
        foreign: 0,
        buffer_phys,
        shared,
        broken: false,
        missed_logged: false,
    })
}

struct Driver {
    dev: Device,
    endpoint: u64,
    ntfn: u64,
    /// Bound lines: (Irq slot, line).
    lines: Vec<(u64, u8)>,
    /// The line our interrupts arrive on, once seen.
    ours: Option<u8>,
    expected: Option<u8>,
    /// Lines seen firing for somebody else (bit per line), left masked.
    foreign: u32,
    buffer_phys: u64,
    /// The clients' capability to the buffer.
    shared: u64,
    /// The device stopped answering; every request fails with IO_ERROR.
    broken: bool,
    /// A request finished with no interrupt seen (logged once).
    missed_logged: bool,
}

type Reply = (MsgInfo, [u64; 4]);

fn reply(label: u32, w0: u64) -> Reply {
    (MsgInfo::new(label), [w0, 0, 0, 0])
}

impl Driver {
    fn serve(&mut self) -> ! {
        let mut pending: Option<Reply> = None;
        loop {
            let received = match pending.take() {
                Some((info, words)) => sys::ipc_reply_recv(self.endpoint, info, words),
                None => sys::ipc_recv(self.endpoint, FOREVER),
            };
            match received {
                Ok(msg) => pending = Some(self.handle(&msg)),
                Err(error) => {
                    println!("virtio-blk: receiving failed: {}", error.name());
                    sys::sleep(100_000_000);
                }
            }
        }
    }

    fn handle(&mut self, msg: &sys::Message) -> Reply {
        // The protocol carries no capabilities in requests.
        if let Some(slot) = msg.info.cap() {
            let _ = sys::cap_delete(slot);
        }
        let [w0, w1, w2, _] = msg.words;
        match msg.info.label() {
            block::INFO => {
                let mut flags = 0;
                if self.dev.read_only() {
                    flags |= block::FLAG_READ_ONLY;
                }
                if self.dev.can_flush() {
                    flags |= block::FLAG_FLUSH;
                }
                (
                    MsgInfo::new(block::DONE),
                    [self.dev.capacity, BUFFER_PAGES * PAGE_SIZE, flags, u64::from(self.dev.blk_size)],
                )
            }
            block::BUFFER => (MsgInfo::new(block::DONE).with_cap(self.shared), [BUFFER_PAGES * PAGE_SIZE, 0, 0, 0]),
            block::READ => self.transfer(false, w0, w1, w2),
            block::WRITE => self.transfer(true, w0, w1, w2),
            block::FLUSH => self.flush(),
            _ => reply(block::UNSUPPORTED, 0),
        }
    }

    fn transfer(&mut self, write: bool, sector: u64, count: u64, offset: u64) -> Reply {
        if count == 0 || !offset.is_multiple_of(SECTOR) {
            return reply(block::MALFORMED, 0);
        }
        let buffer_len = BUFFER_PAGES * PAGE_SIZE;
        let fits_buffer =
            count.checked_mul(SECTOR).and_then(|b| b.checked_add(offset)).is_some_and(|end| end <= buffer_len);
        let fits_disk = sector.checked_add(count).is_some_and(|end| end <= self.dev.capacity);
        if !fits_buffer || !fits_disk {
            return reply(block::OUT_OF_RANGE, 0);
        }
        if write && self.dev.read_only() {
            return reply(block::UNSUPPORTED, 0);
        }
        if self.broken {
            return reply(block::IO_ERROR, 0);
        }
        // Split into requests the device accepts: segments of at most
        // size_max bytes, at most seg_max of them per request, and never
        // more descriptors than half the queue (so two requests overlap).
        let seg_bytes = u64::from(self.dev.size_max.unwrap_or(1 << 20));
        let max_segs =
            u64::from(self.dev.seg_max.unwrap_or(u32::MAX)).min(u64::from(self.dev.queue.size() / 2) - 2).max(1);
        let per_request = (seg_bytes * max_segs).min(1 << 22) / SECTOR;
        let mut chunks = Vec::new();
        let mut done = 0;
        while done < count {
            let n = per_request.min(count - done);
            let mut segments = Vec::new();
            let mut at = self.buffer_phys + offset + done * SECTOR;
            let mut left = n * SECTOR;
            while left > 0 {
                let len = left.min(seg_bytes);
                segments.push(Segment { phys: at, len: len as u32, device_writes: !write });
                at += len;
                left -= len;
            }
            chunks.push((sector + done, segments));
            done += n;
        }
        let kind = if write { device::T_OUT } else { device::T_IN };
        match self.run(kind, chunks) {
            Ok(()) => reply(block::DONE, count),
            Err(label) => reply(label, 0),
        }
    }

    fn flush(&mut self) -> Reply {
        if !self.dev.can_flush() {
            return reply(block::DONE, 0);
        }
        if self.broken {
            return reply(block::IO_ERROR, 0);
        }
        match self.run(device::T_FLUSH, alloc::vec![(0, Vec::new())]) {
            Ok(()) => reply(block::DONE, 0),
            Err(label) => reply(label, 0),
        }
    }

    /// Runs virtio requests of type `kind`, each (sector, data segments),
    /// as many at once as the queue holds, until all are done. The first
    /// failure decides the reply label.
    fn run(&mut self, kind: u32, chunks: Vec<(u64, Vec<Segment>)>) -> Result<(), u32> {
        let mut chunks = chunks.into_iter().peekable();
        let mut result = Ok(());
        let mut last_progress = sys::clock_ns();
        // The last wait ended by its timeout, not by an interrupt.
        let mut timed_out = false;
        loop {
            let mut submitted = false;
            while let Some((_, segments)) = chunks.peek() {
                let Some(descs) = self.dev.queue.reserve(segments.len() + 2) else { break };
                let (sector, segments) = chunks.next().expect("peeked");
                let head = descs[0];
                let header = self.dev.header(head);
                header.write32(0, kind);
                header.write32(4, 0);
                header.write64(8, sector);
                // Not a status the device writes: shows if it wrote none.
                self.dev.set_status(head, 0xff);
                let mut chain = Vec::with_capacity(segments.len() + 2);
                chain.push(Segment { phys: self.dev.header_phys(head), len: 16, device_writes: false });
                chain.extend(segments);
                chain.push(Segment { phys: self.dev.status_phys(head), len: 1, device_writes: true });
                self.dev.queue.publish(descs, &chain);
                submitted = true;
            }
            if submitted {
                self.dev.queue.kick();
            }
            if self.dev.queue.busy() == 0 {
                return result;
            }
            match self.dev.queue.take_used() {
                Ok(used) if !used.is_empty() => {
                    last_progress = sys::clock_ns();
                    if timed_out && !self.missed_logged {
                        self.missed_logged = true;
                        println!("virtio-blk: a request finished but no interrupt came within {} ms (found by polling the used ring)", WAIT_SLICE_NS / 1_000_000);
                    }
                    for virtio::Used { head, .. } in used {
                        let status = self.dev.status(head);
                        if status != device::S_OK && result.is_ok() {
                            println!("virtio-blk: request type {kind} failed with status {status}");
                            // VIRTIO_BLK_S_IOERR, or a status the device never wrote.
                            result = Err(if status == device::S_UNSUPP { block::UNSUPPORTED } else { block::IO_ERROR });
                        }
                    }
                    continue;
                }
                Ok(_) => {}
                Err(bogus) => {
                    println!(
                        "virtio-blk: the device returned chain id {} it does not hold; giving the device up",
                        bogus.id
                    );
                    self.broken = true;
                    return Err(block::IO_ERROR);
                }
            }
            if sys::clock_ns().saturating_sub(last_progress) > DEVICE_DEADLINE_NS {
                println!(
                    "virtio-blk: the device has not finished a request for {} s; giving it up",
                    DEVICE_DEADLINE_NS / 1_000_000_000
                );
                self.broken = true;
                return Err(block::IO_ERROR);
            }
            timed_out = !self.wait_interrupt();
        }
    }

    /// Sleeps until one of our lines fires (or a slice passes), then
    /// acknowledges the device and the line. False if no line fired.
    fn wait_interrupt(&mut self) -> bool {
        let bits = match sys::notify_wait(self.ntfn, WAIT_SLICE_NS) {
            Ok(bits) => bits,
            Err(Error::TimedOut) => return false,
            Err(error) => {
                println!("virtio-blk: waiting for the interrupt failed: {}", error.name());
                sys::sleep(10_000_000);
                return false;
            }
        };
        // Acknowledge at the device first: this deasserts its INTx.
        let isr = self.dev.isr();
        if isr & 2 != 0 {
            println!("virtio-blk: the device's configuration changed");
        }
        let fired: Vec<(u64, u8)> = self.lines.iter().copied().filter(|&(_, l)| bits & (1 << l) != 0).collect();
        if self.ours.is_none() && isr != 0 {
            // Ours: the expected line if it is among those that fired.
            let line = fired
                .iter()
                .map(|&(_, l)| l)
                .find(|&l| Some(l) == self.expected)
                .or_else(|| fired.first().map(|&(_, l)| l));
            if let Some(line) = line {
                self.ours = Some(line);
                println!(
                    "virtio-blk: interrupt on IRQ line {line} (GSI {line}){}",
                    match self.expected {
                        Some(e) if e == line => " as expected",
                        Some(_) => ", not the expected line",
                        None => "",
                    }
                );
            }
        }
        for (slot, line) in fired {
            if self.ours.is_some_and(|o| o != line) {
                // Somebody else's interrupt: leave the line masked.
                if self.foreign & (1 << line) == 0 {
                    self.foreign |= 1 << line;
                    println!("virtio-blk: IRQ line {line} fired for another device; left masked");
                }
                continue;
            }
            if let Err(error) = sys::irq_ack(slot) {
                println!("virtio-blk: irq_ack of line {line} failed: {}", error.name());
            }
        }
        true
    }
}
