//! The TCP/IP server: serves the kernel's Internet sockets (AF_INET,
//! AF_INET6). Every socket call a Linux program makes on one arrives here
//! as a request (crates/netproto) and is carried out by crates/netserver
//! (smoltcp) without ever blocking; the kernel does the waiting, woken by
//! the readiness events this server reports.
//!
//! Capabilities (see user/manifests/*.manifest): slot 3, Net (WRITE), to
//! serve the sockets and report events. Then, found by type, optionally:
//! - an Endpoint (WRITE|GRANT): the virtio-net driver's (`link`); without
//!   it the server has the loopback interface only;
//! - a File (READ): `network.conf` (`netserver::NetworkConfig`: static
//!   addresses or DHCP, name servers); without it, DHCP;
//! - an Endpoint with READ: `sockets`, where native programs' sockets are
//!   served (`clients`, `protocols::sockets`); it needs WRITE, GRANT,
//!   TRANSFER and DERIVE too, to hand each client its own badged copy.
//!
//! With a DHCP interface the server waits for the lease (at most
//! `DHCP_WAIT_NS`) before it starts serving sockets, as a distribution
//! waits for network-online: the kernel holds the first socket calls until
//! the server serves, so a program started at boot finds the network up.
//!
//! Three threads share the stack under one lock:
//! - the main thread answers the kernel's requests on the endpoint;
//! - the timer thread runs the stack's timers (retransmissions, delayed
//!   acknowledgements, TIME-WAIT, keep-alive) and reports the readiness
//!   changes they make with `net_events`. It sleeps on a notification
//!   until the stack's next deadline; the main thread signals it when a
//!   request made that deadline earlier;
//! - the clients thread (only with a `sockets` endpoint) answers native
//!   programs, giving way to the kernel's thread (`clients`).
//!
//! Every thread that ran the stack signals the native clients that got
//! readiness events (`clients::signal`).
//!
//! Argument (manifest `arg`): 0 normally. N > 0 makes the server panic on
//! purpose when its N-th request arrives, and with `HANG_MODE` beside N it
//! stops answering instead: fault injection for the tests of what a dead or
//! hung server does to programs, the kernel and init.

#![no_std]
#![no_main]

extern crate alloc;

mod clients;
mod link;

use abi::{CapType, MsgInfo, Rights, FOREVER, MAX_SPAWN_CAPS};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use netserver::{Duration, Instant};
use netserver::{Ipv4Config, Limits, NetworkConfig, Stack};
use rt::lock::SpinLock;
use rt::shared::SharedBuffer;
use rt::{println, sys};

rt::entry!(main);

const NET: u64 = 3;
/// The buffer shared with the kernel: 64 KiB of data per exchange, plus
/// room for the answer's fields and a batch of readiness events.
const BUFFER_PAGES: u64 = 20;
/// The argument's fault-injection bit for a hang instead of a crash.
const HANG_MODE: u64 = 1 << 62;
/// The longest the timer thread sleeps with nothing due (it wakes early
/// when a request sets an earlier deadline).
const IDLE_NS: u64 = 1_000_000_000;
/// The longest the server waits for a DHCP lease before serving anyway.
const DHCP_WAIT_NS: u64 = 5_000_000_000;

static STACK: SpinLock<Option<Stack>> = SpinLock::new(None);
/// The notification the timer thread sleeps on.
static TIMER: AtomicU64 = AtomicU64::new(0);
/// When the timer thread will wake up on its own (clock ns).
static TIMER_DUE: AtomicU64 = AtomicU64::new(0);

fn now() -> Instant {
    instant_at(sys::clock_ns())
}

/// Clock ns as the stack's time.
fn instant_at(ns: u64) -> Instant {
    Instant::from_micros((ns / 1000) as i64)
}

/// The stack's next deadline in clock ns, from `poll`'s delay after work
/// that started at `start` (clock ns): one clock read serves both (each
/// is a system call), and a deadline a little early only costs the timer
/// thread a poll that finds nothing due.
fn due_after(start: u64, delay: Option<Duration>) -> u64 {
    let ns = delay.map_or(IDLE_NS, |d| d.total_micros().saturating_mul(1000).min(IDLE_NS));
    start.saturating_add(ns)
}

fn main(arg: u64) -> i32 {
    let hang = arg & HANG_MODE != 0;
    let fault_at = arg & !HANG_MODE;
    // Before this task makes capabilities of its own, which would land in
    // the slots after the grants.
    let grants = grants();
    let (Ok(endpoint), Ok(buffer), Ok(timer)) =
        (sys::endpoint_create(), sys::mem_alloc(BUFFER_PAGES, 0), sys::notification_create())
    else {
        println!("netstack: cannot create its endpoint, buffer or notification");
        return 1;
    };
    let Ok(mut shared) = SharedBuffer::map(buffer, BUFFER_PAGES) else {
        println!("netstack: cannot map the shared buffer");
        return 1;
    };
    let mut seed = [0u8; 8];
    let _ = sys::random(&mut seed);
    // Half the task's memory (128 MiB, network.manifest) for socket
    // buffers.
    let limits = Limits {
        buffer_bytes: netserver::SERVER_BUFFER_BYTES,
        random_seed: u64::from_le_bytes(seed),
        ..Limits::default()
    };
    *STACK.lock() = Some(Stack::with_limits(now(), limits));
    TIMER.store(timer, Ordering::Release);
    TIMER_DUE.store(u64::MAX, Ordering::Release);
    if let Err(e) = rt::thread::spawn(timer_thread, 0) {
        println!("netstack: cannot start the timer thread: {}", e.name());
        return 1;
    }
    if let Some(sockets) = grants.sockets {
        if let Err(e) = rt::thread::spawn(clients::thread, sockets) {
            println!("netstack: cannot start the native clients' thread: {}", e.name());
            return 1;
        }
    }
    if let Some(driver) = grants.driver {
        let config = match grants.config.map(read_config).unwrap_or(Ok(NetworkConfig::default())) {
            Ok(config) => Some(config),
            Err(why) => {
                println!("netstack: network.conf refused ({why}): the Ethernet interface stays down");
                None
            }
        };
        if let Some(config) = config {
            bring_up(driver, timer, config);
        }
    }
    if let Err(e) = sys::net_serve(NET, endpoint, buffer) {
        println!("netstack: cannot serve the kernel's sockets: {}", e.name());
        return 1;
    }
    let mut request = Vec::new();
    let mut reply: Option<(MsgInfo, [u64; 4])> = None;
    let mut requests = 0u64;
    let mut woken = Vec::new();
    loop {
        let msg = match reply.take() {
            Some((info, words)) => sys::ipc_reply_recv(endpoint, info, words),
            None => sys::ipc_recv(endpoint, FOREVER),
        };
        let Ok(msg) = msg else { continue };
        requests += 1;
        if fault_at != 0 && requests == fault_at {
            if hang {
                println!("netstack: hanging on purpose at request {requests} (fault injection: the manifest's arg)");
                loop {
                    sys::sleep(u64::MAX / 2);
                }
            }
            panic!("crashing on purpose at request {requests} (fault injection: the manifest's arg)");
        }
        let len = (msg.words[0] as usize).min(shared.len());
        request.clear();
        request.extend_from_slice(&shared.bytes()[..len]);
        let (answer_len, due) = {
            // The native clients' thread waits while this is up.
            clients::KERNEL_WAITING.store(true, Ordering::Release);
            let mut guard = STACK.lock();
            clients::KERNEL_WAITING.store(false, Ordering::Release);
            let Some(stack) = guard.as_mut() else { continue };
            let start = sys::clock_ns();
            let n = stack.handle(&request, shared.bytes_mut(), instant_at(start));
            // The request already ran the interfaces and timers.
            let delay = stack.next_poll();
            stack.take_woken_clients(&mut woken);
            (n, due_after(start, if stack.has_events() { Some(Duration::ZERO) } else { delay }))
        };
        clients::signal(&mut woken);
        wake_timer(due);
        reply = Some((MsgInfo::new(0), [answer_len as u64, 0, 0, 0]));
    }
}

/// Wakes the timer thread if a request may have started a timer it does
/// not know of yet (due at `due`, clock ns).
fn wake_timer(due: u64) {
    if due < TIMER_DUE.load(Ordering::Acquire) {
        let _ = sys::notify_signal(TIMER.load(Ordering::Acquire), 1);
    }
}

/// The optional grants, by type (the slots after Net).
struct Grants {
    driver: Option<u64>,
    config: Option<u64>,
    sockets: Option<u64>,
}

fn grants() -> Grants {
    let mut g = Grants { driver: None, config: None, sockets: None };
    for slot in NET + 1..abi::FIRST_GRANTED_SLOT + MAX_SPAWN_CAPS as u64 {
        let Ok(info) = sys::cap_info(slot) else { continue };
        match info.cap_type {
            // The driver's endpoint is a client's (no READ); the one this
            // server receives on is `sockets`.
            CapType::Endpoint if info.rights.contains(Rights::READ) => g.sockets = Some(slot),
            CapType::Endpoint if info.rights.contains(Rights::WRITE | Rights::GRANT) => g.driver = Some(slot),
            CapType::File if info.rights.contains(Rights::READ) => g.config = Some(slot),
            _ => {}
        }
    }
    g
}

fn read_config(file: u64) -> Result<NetworkConfig, alloc::string::String> {
    let mut text = alloc::vec![0u8; 4096];
    let mut len = 0;
    while len < text.len() {
        match sys::file_read(file, &mut text[len..], len as u64) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) => return Err(alloc::format!("reading it: {}", e.name())),
        }
    }
    if len == text.len() {
        return Err("longer than 4 KiB".into());
    }
    NetworkConfig::parse(&text[..len]).map_err(|e| alloc::format!("line {}: {}", e.line, e.message))
}

/// Attaches to the driver and adds the Ethernet interface (index 1,
/// `eth0`); with DHCP, waits for the lease. Failures leave the server
/// with loopback only, and say why.
fn bring_up(driver: u64, timer: u64, config: NetworkConfig) {
    let attached = match link::attach(driver, timer) {
        Ok(a) => a,
        Err(why) => {
            println!("netstack: no Ethernet interface: {why}");
            return;
        }
    };
    let m = attached.mac;
    let dhcp = config.interface.ipv4 == Ipv4Config::Dhcp;
    let added = STACK.with(|s| s.as_mut().map(|s| s.add_ethernet(attached.device, m, config.interface.clone())));
    let index = match added {
        Some(Ok(index)) => index,
        Some(Err(e)) => {
            println!("netstack: no Ethernet interface: {e:?}");
            return;
        }
        None => return,
    };
    println!(
        "netstack: eth0 is {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}, link {}",
        m[0],
        m[1],
        m[2],
        m[3],
        m[4],
        m[5],
        if attached.link_up { "up" } else { "down" }
    );
    // Frames may already wait; the timer thread sends DHCP's discover.
    let _ = sys::notify_signal(timer, 1);
    let start = sys::clock_ns();
    loop {
        match STACK.with(|s| s.as_ref().and_then(|s| s.ipv4_address(index))) {
            Some(([a, b, c, d], prefix, gateway)) => {
                let how = if dhcp { "from DHCP" } else { "static" };
                match gateway {
                    Some([e, f, g, h]) => {
                        println!("netstack: eth0 has {a}.{b}.{c}.{d}/{prefix} via {e}.{f}.{g}.{h} ({how})")
                    }
                    None => println!("netstack: eth0 has {a}.{b}.{c}.{d}/{prefix} ({how})"),
                }
                return;
            }
            None if dhcp && sys::clock_ns() - start < DHCP_WAIT_NS => sys::sleep(10_000_000),
            None if dhcp => {
                println!("netstack: no DHCP lease yet after 5 s; serving sockets anyway (the lease may come later)");
                return;
            }
            None => return,
        }
    }
}

/// Runs the stack's timers and reports what they changed.
fn timer_thread(_: u64) -> i32 {
    let timer = TIMER.load(Ordering::Acquire);
    let mut events = alloc::vec![0u8; 16 * 1024];
    let mut woken = Vec::new();
    loop {
        let (due, n) = {
            let mut guard = STACK.lock();
            let Some(stack) = guard.as_mut() else { return 1 };
            let start = sys::clock_ns();
            let delay = stack.poll(instant_at(start));
            let n = stack.take_events(&mut events);
            stack.take_woken_clients(&mut woken);
            (due_after(start, if stack.has_events() { Some(Duration::ZERO) } else { delay }), n)
        };
        clients::signal(&mut woken);
        if n > 0 {
            if let Err(e) = sys::net_events(NET, &events[..n]) {
                println!("netstack: net_events failed: {}", e.name());
            }
        }
        TIMER_DUE.store(due, Ordering::Release);
        let wait = due.saturating_sub(sys::clock_ns());
        if wait > 0 {
            let _ = sys::notify_wait(timer, wait);
        }
    }
}
