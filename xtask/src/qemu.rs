//! Building QEMU command lines and running the kernel interactively.

use crate::cli::{Machine, RunArgs};
use std::path::Path;
use std::process::Command;

/// Everything that decides how a machine looks; shared by `run`, the test
/// harness and (later) the benchmarks, so all of them boot the same machine.
#[derive(Debug, Clone)]
pub struct MachineConfig {
    pub machine: Machine,
    pub memory: String,
    pub cpus: u32,
    pub append: String,
    pub gdb: bool,
    pub initrd: Option<std::path::PathBuf>,
    /// More QEMU arguments (extra devices, such as a second serial port).
    pub extra: Vec<String>,
    /// A raw disk image attached as a virtio-blk PCI device (modern only:
    /// 1af4:1042), read-write.
    pub disk: Option<std::path::PathBuf>,
}

/// How many CPUs a machine gets unless its maker says otherwise: 1, or
/// what the test tool sets to run a group of tests again on several CPUs.
static DEFAULT_CPUS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// Machines made from now on get `cpus` CPUs unless told otherwise.
pub fn set_default_cpus(cpus: u32) {
    DEFAULT_CPUS.store(cpus, std::sync::atomic::Ordering::Relaxed);
}

impl MachineConfig {
    pub fn new(machine: Machine) -> Self {
        MachineConfig {
            machine,
            memory: "128M".into(),
            cpus: DEFAULT_CPUS.load(std::sync::atomic::Ordering::Relaxed),
            append: String::new(),
            gdb: false,
            initrd: None,
            extra: Vec::new(),
            disk: None,
        }
    }

    /// The QEMU arguments (without the program name) to boot `kernel`.
    /// `interactive` multiplexes the monitor onto the terminal (Ctrl-A X quits).
    pub fn qemu_args(&self, kernel: &Path, interactive: bool) -> Vec<String> {
        let machine = match self.machine {
            // No default network card or VGA: nothing we do not drive.
            Machine::Q35 => "q35".to_string(),
            Machine::Microvm => "microvm".to_string(),
        };
        let mut a: Vec<String> = vec![
            "-machine".into(),
            machine,
            // TCG: KVM cannot run SSE guests on these machines (see ENVIRONMENT.md).
            "-accel".into(),
            "tcg".into(),
            "-cpu".into(),
            "max".into(),
            "-m".into(),
            self.memory.clone(),
            "-smp".into(),
            self.cpus.to_string(),
            "-kernel".into(),
            kernel.display().to_string(),
            "-append".into(),
            self.append.clone(),
            "-device".into(),
            "isa-debug-exit,iobase=0xf4,iosize=0x04".into(),
            "-display".into(),
            "none".into(),
            "-no-reboot".into(),
            "-nodefaults".into(),
        ];
        if let Some(initrd) = &self.initrd {
            a.extend(["-initrd".into(), initrd.display().to_string()]);
        }
        if interactive {
            a.extend(["-serial".into(), "mon:stdio".into()]);
        } else {
            a.extend(["-serial".into(), "stdio".into(), "-monitor".into(), "none".into()]);
        }
        if let Some(disk) = &self.disk {
            a.extend(disk_args(disk));
        }
        a.extend(self.extra.iter().cloned());
        if self.gdb {
            a.extend(["-s".into(), "-S".into()]);
        }
        a
    }
}

/// The QEMU arguments attaching `disk` (a raw image) as a virtio-blk PCI
/// device without the legacy interface, so it is a virtio 1.x device
/// (1af4:1042). QEMU's default cache mode (writeback): the guest sees a
/// volatile write cache and its flushes reach the host file; the image
/// holds every completed write when QEMU exits.
pub fn disk_args(disk: &Path) -> Vec<String> {
    // QEMU's -drive splits its value at commas; a comma in the path is doubled.
    let file = disk.display().to_string().replace(',', ",,");
    vec![
        "-drive".into(),
        format!("file={file},if=none,format=raw,id=vda,cache=writeback"),
        "-device".into(),
        format!("virtio-blk-pci,drive=vda,disable-legacy=on,addr={DISK_SLOT:#x}"),
    ]
}

/// The PCI slots (bus 0) of the virtio devices, fixed so that each raises
/// its own interrupt line and a manifest can grant each driver only its
/// own: on q35, INTA# of slot s arrives on GSI 20 + s % 4, so the disk
/// has line 21 and the network card line 22.
pub const DISK_SLOT: u8 = 1;
pub const NET_SLOT: u8 = 2;

/// The QEMU arguments attaching a virtio-net PCI device (modern only,
/// 1af4:1041; the driver is `user/virtio-net`) to the network backend
/// `netdev` (the id of a `-netdev` given separately: `socket` in the
/// tests, `user` for `run --net`), with MAC address `mac`.
pub fn net_device_args(netdev: &str, mac: &str) -> Vec<String> {
    vec!["-device".into(), format!("virtio-net-pci,netdev={netdev},disable-legacy=on,addr={NET_SLOT:#x},mac={mac}")]
}

/// The QEMU arguments that put a (human) monitor on the Unix socket `path`,
/// for [`monitor_command`]. Goes beside `-monitor none`: that only turns
/// the default monitor off.
pub fn monitor_socket_args(path: &Path) -> Vec<String> {
    let _ = std::fs::remove_file(path);
    vec!["-monitor".into(), format!("unix:{},server=on,wait=off", path.display().to_string().replace(',', ",,"))]
}

/// Types `command` at the monitor on socket `path` and returns what it
/// printed within a second. `nmi` makes the kernel print every thread's
/// state and call chain (kernel/src/task/dump.rs): what a hang is waiting on.
pub fn monitor_command(path: &Path, command: &str) -> Result<String, String> {
    use std::io::{Read, Write};
    let mut s =
        std::os::unix::net::UnixStream::connect(path).map_err(|e| format!("QEMU monitor {}: {e}", path.display()))?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(1))).map_err(|e| e.to_string())?;
    s.write_all(format!("{command}\n").as_bytes()).map_err(|e| format!("QEMU monitor: {e}"))?;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// QEMU's exit status for the kernel's isa-debug-exit writes.
pub const EXIT_SUCCESS: i32 = (0x10 << 1) | 1;
pub const EXIT_FAILURE: i32 = (0x11 << 1) | 1;

pub fn run_interactive(args: &RunArgs) -> Result<(), String> {
    // Before the builds: a wrong path fails at once.
    if let Some(disk) = &args.disk {
        if !disk.is_file() {
            return Err(format!("--disk {}: no such file", disk.display()));
        }
    }
    // The root file system image is used in place: what the shell writes
    // is there at the next boot.
    let disk = match (&args.rootfs_image, args.rootfs) {
        (Some(image), _) if !image.is_file() => {
            return Err(format!("--rootfs-image {}: no such file", image.display()))
        }
        (Some(image), _) => Some(image.clone()),
        (None, true) => Some(crate::rootfs::ensure_image()?),
        (None, false) => args.disk.clone(),
    };
    let kernel = crate::build::build_kernel(&args.build.options())?;
    let qemu = crate::toolchain::qemu()?;
    let mut append = args.append.clone();
    if args.trace {
        append = format!("{append} strace");
    }
    let initrd = match &args.program {
        Some(program) => {
            // Run one host program as init: exit status is the program's.
            let name = program.file_name().and_then(|n| n.to_str()).ok_or("bad program path")?.to_string();
            let mut image = crate::initramfs::Image::new();
            image.host_file(&format!("bin/{name}"), program)?;
            // A dynamically linked program brings its dynamic linker and
            // libraries from this machine, at the same paths.
            for lib in crate::initramfs::shared_libraries(program)? {
                let real = std::fs::canonicalize(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
                image.host_file(&lib.display().to_string(), &real)?;
            }
            if args.disk.is_some() {
                // The disk is mounted on /mnt by the storage services, as
                // in the busybox mode.
                crate::storage_tests::add_storage_services(&mut image)?;
                append = format!("{append} {}", crate::storage_tests::SERVICES);
            } else {
                // The TCP/IP server, for Internet sockets on loopback.
                crate::network_services::add(&mut image)?;
                append = format!("{append} {}", crate::network_services::SERVICES);
            }
            if let Some(net) = &args.net {
                net.add_to(&mut image)?;
            }
            let quoted: Vec<String> = args
                .program_args
                .iter()
                .map(|a| format!("\"{}\"", a.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect();
            append = format!("{append} init=/bin/{name} -- {}", quoted.join(" "));
            Some(image.write("run.cpio")?)
        }
        None if args.rootfs => {
            // Native init mounts the disk as the root (rootfs.manifest);
            // the Linux init is the disk's /bin/bash.
            append = format!("{append} {}", crate::rootfs::boot_args());
            Some(crate::rootfs::boot_initramfs(args.net.as_ref())?)
        }
        None if args.native => {
            append = format!("{append} init=/native/init");
            let manifest = args.manifest.as_deref().unwrap_or("default.manifest");
            let stem = manifest.strip_suffix(".manifest").unwrap_or(manifest);
            Some(crate::native_tests::image(manifest, &format!("native-{stem}.cpio"))?)
        }
        None if args.disk.is_some() => {
            // The busybox shell with the disk mounted on /mnt by the
            // user-space driver and ext2 server.
            append = format!("{append} {}", crate::storage_tests::SERVICES);
            Some(crate::userland::default_image(true, args.net.as_ref())?)
        }
        None => {
            append = format!("{append} {}", crate::network_services::SERVICES);
            Some(crate::userland::default_image(false, args.net.as_ref())?)
        }
    };
    let config = MachineConfig {
        machine: args.machine,
        memory: args.memory.clone(),
        cpus: args.cpus,
        append: append.trim().to_string(),
        gdb: args.gdb,
        initrd,
        extra: Vec::new(),
        disk,
    };
    let mut config = config;
    if args.native {
        // The native serial driver's COM2, output only, on the terminal's stderr.
        config.extra = vec!["-serial".into(), "file:/dev/stderr".into()];
    }
    if args.icount {
        config.extra.extend(["-icount".into(), "shift=0".into()]);
    }
    if let Some(net) = &args.net {
        config.extra.extend(net.qemu_args());
        for (host, guest) in &net.forwards {
            eprintln!("xtask: 127.0.0.1:{host} on this machine reaches port {guest} inside");
        }
    }
    if args.gdb {
        eprintln!("xtask: QEMU waits for gdb: gdb {} -ex 'target remote :1234'", kernel.display());
    }
    if let (true, Some(disk)) = (args.rootfs, &config.disk) {
        eprintln!("xtask: root file system {} (used in place: writes persist)", disk.display());
    }
    if args.program.is_none() {
        eprintln!(
            "xtask: booting on {} ({} RAM, {} CPU); quit with Ctrl-A X",
            args.machine.name(),
            args.memory,
            args.cpus
        );
    }
    let mut cmd = Command::new(qemu);
    cmd.args(config.qemu_args(&kernel, args.program.is_none()));
    if args.program.is_some() {
        // The program's output goes to our stdout; its exit status becomes ours.
        let boot =
            crate::harness::boot(&kernel, &config, std::time::Duration::from_secs(args.timeout_secs.unwrap_or(600)))?;
        let mut code = None;
        for line in boot.lines() {
            if let Some(rest) = line.strip_prefix("helctic: init exited with status ") {
                code = rest.trim().parse::<i32>().ok();
            } else if !line.starts_with('[') || std::env::var_os("HELCTIC_VERBOSE").is_some() {
                println!("{line}");
            }
        }
        return match (code, &boot.outcome) {
            (Some(c), _) => std::process::exit(c),
            (None, crate::harness::Outcome::TimedOut) => {
                Err(format!("timed out without the program's status; last lines:\n{}", boot.tail(300)))
            }
            (None, o) => {
                Err(format!("the kernel stopped without the program's status ({o:?}); last lines:\n{}", boot.tail(30)))
            }
        };
    }
    let status = match args.timeout_secs {
        None => cmd.status().map_err(|e| format!("cannot start QEMU: {e}"))?,
        Some(secs) => {
            let mut child = cmd.spawn().map_err(|e| format!("cannot start QEMU: {e}"))?;
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
            loop {
                if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
                    break s;
                }
                if std::time::Instant::now() > deadline {
                    let _ = child.kill();
                    return Err(format!("QEMU still running after {secs} s; stopped it"));
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
    };
    match status.code() {
        Some(EXIT_SUCCESS) | Some(0) => Ok(()),
        Some(EXIT_FAILURE) => Err("the kernel reported failure".into()),
        _ => Err(format!("QEMU exited with {status}")),
    }
}
