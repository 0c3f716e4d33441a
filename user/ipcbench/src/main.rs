//! Native IPC benchmark, run by `cargo xtask bench` under native init.
//!
//! Two tasks (this program spawned a second time with a role bit in its
//! argument): a client calls a server that replies at once, which measures
//! a call+reply round trip between address spaces; then two notifications
//! ping-pong between them, which measures signal-to-wakeup latency. Lines
//! `BENCH <name> <value>` are what the bench harness reads; under `-icount
//! shift=0` the clock counts guest instructions, so the same figures are
//! instruction counts.
//!
//! arg: bits 0-31 the iteration count; bit 32 selects the server role.

#![no_std]
#![no_main]

use rt::abi::{MsgInfo, Rights, SpawnSpec, TaskStatusKind, FIRST_GRANTED_SLOT, FOREVER};
use rt::println;
use rt::sys;

rt::entry!(main);

const SERVER: u64 = 1 << 32;
const BOOT_DIR: u64 = FIRST_GRANTED_SLOT;

fn main(arg: u64) -> i32 {
    if arg & SERVER != 0 {
        return server();
    }
    let iterations = (arg & 0xffff_ffff).max(10);
    match client(iterations) {
        Ok(()) => {
            println!("BENCH-DONE 0");
            0
        }
        Err(why) => {
            println!("BENCH-FAIL native_ipc_rtt {why}");
            println!("BENCH-DONE 1");
            1
        }
    }
}

/// The other side: answers calls on slot 3, then echoes notifications
/// from slot 4 to slot 5, until told to stop (label 0).
fn server() -> i32 {
    let ep = FIRST_GRANTED_SLOT;
    let (ping, pong) = (FIRST_GRANTED_SLOT + 1, FIRST_GRANTED_SLOT + 2);
    let Ok(mut m) = sys::ipc_recv(ep, FOREVER) else { return 2 };
    while m.info.label() != 0 {
        match sys::ipc_reply_recv(ep, MsgInfo::new(1), [m.words[0] + 1, 0, 0, 0]) {
            Ok(next) => m = next,
            Err(_) => return 3,
        }
    }
    let _ = sys::ipc_reply(rt::abi::NO_CAP, MsgInfo::new(0), [0; 4]);
    loop {
        match sys::notify_wait(ping, FOREVER) {
            Ok(bits) if bits & 2 != 0 => return 0,
            Ok(_) => {
                if sys::notify_signal(pong, 1).is_err() {
                    return 4;
                }
            }
            Err(_) => return 5,
        }
    }
}

fn client(iterations: u64) -> Result<(), &'static str> {
    let ep = sys::endpoint_create().map_err(|_| "endpoint_create")?;
    let ping = sys::notification_create().map_err(|_| "notification_create")?;
    let pong = sys::notification_create().map_err(|_| "notification_create")?;
    let image = sys::file_open(BOOT_DIR, b"ipcbench", Rights::READ | Rights::EXEC).map_err(|_| "file_open ipcbench")?;
    let mut spec = SpawnSpec::new(b"ipcbench-server");
    spec.arg = SERVER;
    spec.grant(ep, Rights::READ);
    spec.grant(ping, Rights::READ);
    spec.grant(pong, Rights::WRITE);
    let server = sys::task_spawn(image, &spec).map_err(|_| "task_spawn")?;

    // Warm up (page faults, first scheduling), then measure.
    let mut token = 0;
    for _ in 0..iterations / 10 {
        token = sys::ipc_call(ep, MsgInfo::new(1), [token, 0, 0, 0]).map_err(|_| "ipc_call")?.words[0];
    }
    let start = sys::clock_ns();
    for _ in 0..iterations {
        let reply = sys::ipc_call(ep, MsgInfo::new(1), [token, 0, 0, 0]).map_err(|_| "ipc_call")?;
        if reply.words[0] != token + 1 {
            return Err("wrong reply");
        }
        token = reply.words[0];
    }
    let rtt = (sys::clock_ns() - start) as f64 / iterations as f64;
    println!("BENCH native_ipc_rtt {rtt:.1}");
    sys::ipc_call(ep, MsgInfo::new(0), [0; 4]).map_err(|_| "ipc_call stop")?;

    for _ in 0..iterations / 10 {
        sys::notify_signal(ping, 1).map_err(|_| "notify_signal")?;
        sys::notify_wait(pong, FOREVER).map_err(|_| "notify_wait")?;
    }
    let start = sys::clock_ns();
    for _ in 0..iterations {
        sys::notify_signal(ping, 1).map_err(|_| "notify_signal")?;
        sys::notify_wait(pong, FOREVER).map_err(|_| "notify_wait")?;
    }
    // Two signals and two wake-ups per round: one way is half.
    let one_way = (sys::clock_ns() - start) as f64 / iterations as f64 / 2.0;
    println!("BENCH native_notify_latency {one_way:.1}");
    sys::notify_signal(ping, 2).map_err(|_| "notify_signal stop")?;
    let status = sys::task_wait(server, FOREVER).map_err(|_| "task_wait")?;
    if status.kind != TaskStatusKind::Exited || status.code != 0 {
        return Err("the server did not exit cleanly");
    }
    Ok(())
}
