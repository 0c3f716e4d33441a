//! Helctic: a capability-secure microkernel that runs other operating
//! systems' programs through in-kernel personalities.
//!
//! This crate is the kernel binary. Architecture code lives in `arch/` (the
//! only place that knows registers, and nearly the only place allowed
//! `unsafe`); pure logic lives in host-tested crates under `crates/`.
#![no_std]
#![no_main]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;

#[macro_use]
mod console;
#[macro_use]
mod log;

mod arch;
mod boot;
mod cap;
mod fs;
mod ipc;
mod keys;
mod mm;
mod native;
mod panic;
mod personality;
mod profile;
mod random;
mod sched;
mod smp;
mod sync;
mod sysv;
mod task;
mod time;

#[cfg(feature = "ktest")]
mod ktest;

use alloc::vec::Vec;
use boot::BootInfo;

/// The architecture-neutral half of boot. The arch entry code has set up the
/// CPU (descriptor tables, exceptions, per-CPU state) and the clock, and hands
/// over what the boot loader told it.
pub fn kmain(boot: &BootInfo) -> ! {
    if let Some(level) = boot.cmdline().get("loglevel").and_then(log::Level::parse) {
        log::set_max_level(level);
    }
    info!("Helctic {} ({}), command line {:?}", env!("CARGO_PKG_VERSION"), arch::NAME, boot.cmdline().as_str());
    // `strace`: the Linux personality logs every system call (`xtask run --trace`).
    if boot.cmdline().has("strace") {
        personality_linux::trace::set_enabled(true);
    }
    mm::init(boot);
    native::record_ram(boot);
    random::init();
    match arch::rtc::read_epoch_seconds() {
        Some(secs) => time::set_realtime(secs * 1_000_000_000),
        None => warn!("no readable real-time clock; the wall clock starts at 1970"),
    }
    profile::init(boot.cmdline().get("profile"));
    arch::platform::init(boot);
    // A key typed before the console could interrupt (waiting in the UART)
    // goes to the terminal now, not at the next key.
    fs::tty::on_serial_input();
    arch::syscall_entry::init();
    sched::init_cpu(task::thread::Thread::new_idle());
    arch::cpu::enable_interrupts();
    smp::start(boot.cmdline().get("smp"));

    let now = time::now_ns();
    let entry = time::tsc_to_ns(boot.entry_tsc);
    info!(
        "boot: kernel ready {}.{:03} ms after kernel entry, {}.{:03} ms after machine start",
        (now - entry) / 1_000_000,
        (now - entry) / 1000 % 1000,
        now / 1_000_000,
        now / 1000 % 1000
    );

    #[cfg(feature = "ktest")]
    ktest::run(boot);

    if boot.cmdline().has("shutdown") {
        info!("shutdown requested on the command line");
        arch::cpu::exit_machine(arch::cpu::ExitStatus::Success);
    }
    start_init(boot);
    sched::idle_loop()
}

/// Unpacks the initramfs and starts the first program: `init=` on the
/// command line (default /init), with the words after `--` as arguments
/// and `NAME=value` parameters (upper-case names) in its environment.
/// With `services=<native init>`, native init starts too, with the boot
/// manifest beside it, and the Linux init waits until it has made the
/// boot-time mounts (`vfs_boot_done`, at most 15 s). With `root=/dev/<d>`
/// the Linux init starts from the file system mounted from that device
/// (see fs/root_switch.rs; default program /sbin/init).
/// How long after native services start a program's first Internet
/// socket waits for the network server among them.
const NETWORK_SERVER_PATIENCE_NS: u64 = 10_000_000_000;

fn start_init(boot: &BootInfo) {
    let initramfs = boot.modules().first().map(|m| {
        // SAFETY: boot modules are reserved RAM (removed from the frame
        // allocator in arch/x86_64/entry.rs) that nothing writes.
        unsafe { arch::layout::boot_module(m.phys, m.size) }
    });
    let fs = fs::init(initramfs);
    let cmdline = boot.cmdline();
    let root_device = cmdline.get("root").map(|r| r.strip_prefix("/dev/").unwrap_or(r));
    let path = cmdline.get("init").unwrap_or(if root_device.is_some() { "/sbin/init" } else { "/init" });
    let mut argv = alloc::vec![path.as_bytes().to_vec()];
    bootinfo::split_words(cmdline.init_args(), &mut |w| argv.push(w.to_vec()));
    let mut envp: Vec<Vec<u8>> =
        crate::personality::default().personality.initial_environment().iter().map(|e| e.as_bytes().to_vec()).collect();
    for (key, value) in cmdline.environment() {
        envp.retain(|e| !e.starts_with(key.as_bytes()) || e.get(key.len()) != Some(&b'='));
        envp.push(alloc::format!("{key}={value}").into_bytes());
    }
    let services = cmdline.get("services");
    if let Some(device) = root_device {
        // pid 1 exists first, so that it is pid 1; its program comes from
        // a disk only native services can read.
        let init = match task::lifecycle::create_init(fs.clone()) {
            Ok(i) => i,
            Err(e) => {
                error!("cannot create init: {e:?}");
                arch::cpu::exit_machine(arch::cpu::ExitStatus::Failure);
            }
        };
        fs::root_switch::hold(init, device, path.as_bytes(), argv, envp);
        let Some(services) = services else {
            error!("root=/dev/{device} needs services= (the native init that serves and mounts the disk)");
            println!("helctic: root=/dev/{device} given without services=; nothing can mount it");
            arch::cpu::exit_machine(arch::cpu::ExitStatus::Failure);
        };
        match task::lifecycle::spawn_init(fs, services.as_bytes(), &[services.as_bytes().to_vec()], &[]) {
            Ok(t) => {
                fs::inet::server::expect_server(NETWORK_SERVER_PATIENCE_NS);
                sched::enqueue(t);
                info!("started {services} (native services); pid 1 waits for its root on /dev/{device}");
            }
            Err(e) => {
                error!("cannot start the native services ({services}): {e:?}");
                arch::cpu::exit_machine(arch::cpu::ExitStatus::Failure);
            }
        }
        return;
    }
    // The Linux init first, so that it is pid 1.
    let init = task::lifecycle::spawn_init(fs.clone(), path.as_bytes(), &argv, &envp);
    if let (Some(services), Ok(_)) = (services, &init) {
        match task::lifecycle::spawn_init(fs, services.as_bytes(), &[services.as_bytes().to_vec()], &[]) {
            Ok(t) => {
                fs::inet::server::expect_server(NETWORK_SERVER_PATIENCE_NS);
                sched::enqueue(t);
                info!("started {services} (native services)");
            }
            Err(e) => error!("cannot start the native services ({services}): {e:?}"),
        }
    }
    match init {
        Ok(t) => {
            if services.is_some() {
                fs::served::hold_init(t);
            } else {
                sched::enqueue(t);
            }
            info!("started {path} as pid 1");
        }
        Err(e) => {
            error!("cannot start {path}: {e:?}");
            println!("helctic: cannot start init ({path}): {e:?}");
            arch::cpu::exit_machine(arch::cpu::ExitStatus::Failure);
        }
    }
}
