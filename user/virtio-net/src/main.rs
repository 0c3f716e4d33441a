//! The virtio-net driver, in user space: a virtio 1.x network device on
//! PCI (QEMU's `virtio-net-pci,disable-legacy=on`, vendor 0x1af4, device
//! 0x1041), reached only through the capabilities init grants it
//! (`user/manifests/net.manifest`). It looks at each granted slot from 3
//! on and takes, by type:
//!
//! - `IoPorts` covering 0xcf8..0xd00: PCI configuration space (the kernel
//!   keeps each task's selected address, so another driver scanning at the
//!   same time cannot interleave with it);
//! - `Mmio` (one or more, read-write): device memory covering the BARs
//!   the virtio capabilities point into;
//! - `Endpoint` (READ): the endpoint it serves (`protocols::net`);
//! - `Irq` (one line each): the INTx lines the device may raise. Granted
//!   lines are all bound and acknowledged after every interrupt, so grant
//!   only the device's own (xtask pins its PCI slot: see
//!   `xtask/src/qemu.rs`, `net_device_args`).
//!
//! It negotiates VERSION_1, MAC, STATUS, MTU, CSUM and GUEST_CSUM (what
//! the device offers of them), sets up a receive queue kept full of 2 KiB
//! buffers and a transmit queue, and moves Ethernet frames between them
//! and one client's shared rings (`datapath`). The endpoint is served on
//! the main thread (`client`); frames move on a second thread that sleeps
//! on one notification for interrupts, client kicks and client changes.
//!
//! `unsafe` is only in `virtio::window` and `rt`: volatile access to MMIO,
//! DMA and shared memory.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

extern crate alloc;

mod client;
mod datapath;
mod device;

use abi::{CapType, Error, Rights, FOREVER, MAX_SPAWN_CAPS};
use alloc::format;
use alloc::vec::Vec;
use datapath::DataPath;
use rt::lock::SpinLock;
use rt::{println, sys};
use virtio::{pci, Config, Regs};

rt::entry!(main);

/// Where device registers and DMA memory are mapped (after rt's heap and
/// thread stacks, which end at 0x6000_0000_0000).
const MMIO_BASE: u64 = 0x6000_0000_0000;
const QUEUE_VADDR: u64 = 0x6100_0000_0000;
/// Virtio 1.x ("modern") network device: 0x1040 + device type 1.
const DEVICE_NET_MODERN: u16 = 0x1041;

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
                println!("virtio-net: ignoring slot {slot} ({} {:#x}+{:#x})", info.cap_type.name(), info.base, info.len)
            }
        }
    }
    g
}

/// The data path, from the main thread (which set it up) to the data
/// thread (which runs it).
static HANDOFF: SpinLock<Option<DataPath>> = SpinLock::new(None);

fn data_thread(_arg: u64) -> i32 {
    match HANDOFF.with(Option::take) {
        Some(mut path) => path.run(),
        None => 1,
    }
}

fn main(_arg: u64) -> i32 {
    match start() {
        Ok((endpoint, kick, ntfn)) => serve(endpoint, kick, ntfn),
        Err((code, why)) => {
            println!("virtio-net: {why}");
            code
        }
    }
}

type StartError = (i32, alloc::string::String);

/// Finds and initializes the device, starts the data thread; returns the
/// endpoint, the clients' kick capability and the driver's notification.
fn start() -> Result<(u64, u64, u64), StartError> {
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
    let (found, functions) = cfg.find(&[DEVICE_NET_MODERN]).map_err(io)?;
    let Some((f, device_id)) = found else {
        return Err((3, format!("no modern virtio-net device (1af4:1041) among {functions} PCI functions")));
    };
    let caps = cfg.virtio_caps(f).map_err(io)?;
    if caps.is_empty() {
        return Err((4, format!("{f} (1af4:{device_id:04x}) has no virtio PCI capabilities")));
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
    let (regs, bars) = Regs::map(&cfg, f, &caps, &g.mmio, MMIO_BASE, device::CONFIG_MIN).map_err(|why| (4, why))?;
    let dev = device::init(regs, QUEUE_VADDR).map_err(|why| (5, format!("{f}: {why}")))?;

    let ntfn = sys::notification_create().map_err(|e| (7, format!("cannot create a notification: {}", e.name())))?;
    // What clients get: signal only, badged so their signals are told
    // apart from interrupts whatever bits they send.
    let kick = sys::cap_derive(ntfn, Rights::WRITE | Rights::TRANSFER, datapath::KICK, 0, 0)
        .map_err(|e| (7, format!("cannot derive the clients' notification capability: {}", e.name())))?;
    let mut lines = Vec::new();
    for &(slot, line) in &g.irqs {
        match sys::irq_bind(slot, ntfn, 1 << line) {
            Ok(()) => lines.push((slot, line)),
            Err(e) => println!("virtio-net: cannot bind IRQ line {line}: {}", e.name()),
        }
    }
    if lines.is_empty() {
        return Err((7, "none of the granted interrupt lines could be bound".into()));
    }
    if let Some(gsi) = expected {
        if !lines.iter().any(|&(_, l)| l == gsi) {
            println!(
                "virtio-net: warning: {f} INT{}# should arrive on GSI {gsi}, which is not among the bound lines",
                (b'A' + pin - 1) as char
            );
        }
    }
    let m = dev.mac;
    println!(
        "virtio-net: MAC {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}, MTU {}, link {}, transmit checksum {}, receive checksum {}; PCI {f} 1af4:{device_id:04x}, {bars}, INT{}# (GSI {}), lines {:?}; queues of {} and {}, features {:#x} of {:#x}; serving slot {endpoint}",
        m[0], m[1], m[2], m[3], m[4], m[5],
        dev.mtu,
        if dev.link_up() { "up" } else { "down" },
        if dev.device_checksum() { "by the device" } else { "in software" },
        if dev.guest_checksum() { "partial ones completed" } else { "not offloaded" },
        (b'A' + pin - 1) as char,
        expected.map_or("?".into(), |g| format!("{g}")),
        lines.iter().map(|&(_, l)| l).collect::<Vec<_>>(),
        dev.rx.queue.size(),
        dev.tx.queue.size(),
        dev.features,
        dev.offered,
    );
    let path = DataPath::new(dev, ntfn, lines);
    let info = path.info();
    client::SHARED.with(|s| s.info = Some(info));
    HANDOFF.with(|h| *h = Some(path));
    rt::thread::spawn(data_thread, 0).map_err(|e| (8, format!("cannot start the data thread: {}", e.name())))?;
    Ok((endpoint, kick, ntfn))
}

/// The main thread: the endpoint, one call at a time.
fn serve(endpoint: u64, kick: u64, ntfn: u64) -> ! {
    let wake = || {
        let _ = sys::notify_signal(ntfn, datapath::CONTROL);
    };
    let mut pending: Option<client::Reply> = None;
    loop {
        let received = match pending.take() {
            Some((info, words)) => sys::ipc_reply_recv(endpoint, info, words),
            None => sys::ipc_recv(endpoint, FOREVER),
        };
        match received {
            Ok(msg) => pending = Some(client::handle(&msg, kick, wake)),
            Err(error) => {
                println!("virtio-net: receiving failed: {}", error.name());
                sys::sleep(100_000_000);
            }
        }
    }
}
