//! The first native task. The kernel starts it as pid 1 with all the
//! authority there is (`abi::INIT_*_SLOT`: the boot directory, every I/O
//! port, every interrupt line, all device memory); it hands that authority
//! out, narrowed, exactly as the boot manifest says, and nothing else:
//!
//! 1. reads `boot.manifest` beneath the boot directory and parses it
//!    (`crates/manifest`, whose documentation is the format's reference);
//! 2. creates every endpoint and notification the manifest declares;
//! 3. spawns the tasks in the order written (which the format guarantees is
//!    a valid order for `after`), each with its grants, in order, at slots
//!    3, 4, ... of its table, and with init's supervisor notification and a
//!    bit of its own (bit `i` for task `i`);
//! 4. supervises: reports how each task ended, restarts those that crashed (faulted or panicked)
//!    while they have restarts left, and when the task marked `wait` ends,
//!    exits with its status, which the kernel turns into the machine's.
//!
//! Every grant becomes a capability in init's own table first, derived from
//! init's (so a grant can never exceed what init holds) with `TRANSFER` and
//! `DERIVE` added so it can be handed over; the spawn narrows it to exactly
//! the rights the manifest lists. Init deletes its copies once the task is
//! spawned: the task's capabilities stay valid (they re-parent to init's
//! originals, which can still revoke them).
//!
//! The lines printed here are an interface: `xtask/src/native_tests.rs`
//! looks for them.

#![no_std]
#![no_main]

extern crate alloc;

use abi::{
    Error, Rights, SpawnSpec, TaskStatus, TaskStatusKind, FOREVER, INIT_BOOT_DIR_SLOT, INIT_IO_PORTS_SLOT,
    INIT_IRQ_SLOT, INIT_MMIO_SLOT, INIT_NET_SLOT, INIT_VFS_SLOT,
};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use manifest::{Grant, Manifest, ObjectKind};
use rt::{println, sys};

rt::entry!(main);

/// The manifest's file in the boot directory.
const MANIFEST: &str = "boot.manifest";
/// Rights init's copy of every grant has on top of the granted ones: it
/// must be able to hand the capability over (and could narrow it further).
const HELD: Rights = Rights(Rights::TRANSFER.0 | Rights::DERIVE.0);
/// The exit status when the awaited task did not end by exiting.
const FAILURE: i32 = 1;

fn main(_arg: u64) -> i32 {
    println!("init: Helctic native init, starting the tasks of {MANIFEST}");
    let text = match read_file(INIT_BOOT_DIR_SLOT, MANIFEST.as_bytes()) {
        Ok(text) => text,
        Err(error) => {
            println!("init: cannot read {MANIFEST}: {}", error.name());
            return FAILURE;
        }
    };
    let manifest = match manifest::parse(&text) {
        Ok(manifest) => manifest,
        Err(error) => {
            println!("init: {MANIFEST}: {error}");
            return FAILURE;
        }
    };
    drop(text);
    let supervisor = match sys::notification_create() {
        Ok(slot) => slot,
        Err(error) => {
            println!("init: cannot create the supervisor notification: {}", error.name());
            return FAILURE;
        }
    };
    let objects = create_objects(&manifest);
    let tasks = manifest.tasks.iter().map(|_| Supervised { slot: None, started: false, restarts: 0 }).collect();
    let mut init = Init { manifest, objects, supervisor, tasks };
    if let Some(code) = init.start_all() {
        return code;
    }
    init.mount_all();
    init.supervise()
}

/// The whole of a file beneath `dir` (or a little more than the parser
/// accepts, which it then refuses).
fn read_file(dir: u64, path: &[u8]) -> Result<Vec<u8>, Error> {
    const CHUNK: usize = 4096;
    let file = sys::file_open(dir, path, Rights::READ)?;
    let mut text = Vec::new();
    let result = loop {
        let at = text.len();
        if at > manifest::MAX_INPUT {
            break Ok(());
        }
        text.resize(at + CHUNK, 0);
        match sys::file_read(file, &mut text[at..], at as u64) {
            Ok(0) => {
                text.truncate(at);
                break Ok(());
            }
            Ok(n) => text.truncate(at + n.min(CHUNK)),
            Err(error) => break Err(error),
        }
    };
    let _ = sys::cap_delete(file);
    result.map(|()| text)
}

/// Creates the declared endpoints and notifications: (name, slot) for each
/// one made. One that cannot be made is reported; the tasks granted it will
/// fail to start.
fn create_objects(manifest: &Manifest) -> Vec<(String, u64)> {
    let mut objects = Vec::new();
    for object in &manifest.objects {
        let made = match object.kind {
            ObjectKind::Endpoint => sys::endpoint_create(),
            ObjectKind::Notification => sys::notification_create(),
        };
        match made {
            Ok(slot) => objects.push((object.name.clone(), slot)),
            Err(error) => println!("init: cannot create {} {}: {}", object.kind.keyword(), object.name, error.name()),
        }
    }
    objects
}

/// What init knows of one manifest task.
struct Supervised {
    /// Its Task capability while it runs.
    slot: Option<u64>,
    /// It was spawned at least once (what `after` asks for).
    started: bool,
    /// Restarts used so far.
    restarts: u32,
}

struct Init {
    manifest: Manifest,
    /// The declared objects: name and init's slot (all rights).
    objects: Vec<(String, u64)>,
    /// Signalled with bit `i` when task `i` ends.
    supervisor: u64,
    /// Parallel to `manifest.tasks`.
    tasks: Vec<Supervised>,
}

/// Why a task could not be spawned: the error and what it was about.
struct Failure {
    error: Error,
    what: String,
}

impl Init {
    /// Starts every task in manifest order. Returns an exit status if the
    /// awaited task could not be started (then nothing can end the run).
    fn start_all(&mut self) -> Option<i32> {
        for i in 0..self.manifest.tasks.len() {
            let task = &self.manifest.tasks[i];
            if let Some(after) = &task.after {
                // The format makes `after` name an earlier task, so it has
                // had its chance to start by now.
                let ready = self.manifest.tasks.iter().zip(&self.tasks).any(|(t, s)| t.name == *after && s.started);
                if !ready {
                    println!("init: cannot start {}: {} did not start", task.name, after);
                    if task.wait {
                        return Some(self.give_up(i));
                    }
                    continue;
                }
            }
            if !self.start(i) && self.manifest.tasks[i].wait {
                return Some(self.give_up(i));
            }
        }
        None
    }

    /// Makes the manifest's boot-time mounts, then lets the Linux init run
    /// (if the kernel is holding one back). A server offers its file
    /// system a moment after it starts, so a mount whose device is not
    /// served yet is retried for a while.
    fn mount_all(&self) {
        const PATIENCE_NS: u64 = 10_000_000_000;
        for m in &self.manifest.mounts {
            let spec = format!("{} {} {}{}", m.device, m.fstype, m.path, if m.read_only { " ro" } else { "" });
            let deadline = sys::clock_ns().saturating_add(PATIENCE_NS);
            let result = loop {
                match sys::vfs_mount(INIT_VFS_SLOT, spec.as_bytes()) {
                    Err(Error::NotFound) if sys::clock_ns() < deadline => sys::sleep(20_000_000),
                    other => break other,
                }
            };
            match result {
                Ok(()) => println!("init: mounted {} ({}) on {}", m.device, m.fstype, m.path),
                Err(error) => println!("init: cannot mount {} on {}: {}", m.device, m.path, error.name()),
            }
        }
        if let Err(error) = sys::vfs_boot_done(INIT_VFS_SLOT) {
            println!("init: cannot release the Linux init: {}", error.name());
        }
    }

    /// The awaited task will never end: there is nothing left to wait for.
    fn give_up(&self, i: usize) -> i32 {
        println!("init: the awaited task {} is not running; exiting with {FAILURE}", self.manifest.tasks[i].name);
        FAILURE
    }

    /// Spawns task `i` and reports it. True if it started.
    fn start(&mut self, i: usize) -> bool {
        let name = &self.manifest.tasks[i].name;
        match self.spawn(i) {
            Ok(slot) => {
                println!("init: started {name} (slot {slot})");
                self.tasks[i].slot = Some(slot);
                self.tasks[i].started = true;
                true
            }
            Err(Failure { error, what }) => {
                println!("init: cannot start {name}: {} ({what})", error.name());
                false
            }
        }
    }

    fn spawn(&self, i: usize) -> Result<u64, Failure> {
        let task = &self.manifest.tasks[i];
        let mut spec = SpawnSpec::new(task.name.as_bytes());
        spec.arg = task.arg;
        spec.memory_limit_pages = task.memory_pages;
        spec.supervisor = self.supervisor;
        spec.supervisor_bits = 1 << i;
        // Init's copies of the grants, deleted whatever happens.
        let mut held: Vec<u64> = Vec::new();
        let result = (|| {
            for (n, grant) in task.grants.iter().enumerate() {
                let slot = self
                    .capability(grant)
                    .map_err(|error| Failure { error, what: format!("grant {n}: {}", describe(grant)) })?;
                held.push(slot);
                if !spec.grant(slot, grant.rights()) {
                    return Err(Failure {
                        error: Error::InvalidArgument,
                        what: format!("grant {n}: more than {} grants", abi::MAX_SPAWN_CAPS),
                    });
                }
            }
            let image = sys::file_open(INIT_BOOT_DIR_SLOT, task.image.as_bytes(), Rights::READ | Rights::EXEC)
                .map_err(|error| Failure { error, what: format!("image {}", task.image) })?;
            held.push(image);
            sys::task_spawn(image, &spec)
                .map_err(|error| Failure { error, what: format!("task_spawn of image {}", task.image) })
        })();
        for slot in held {
            let _ = sys::cap_delete(slot);
        }
        result
    }

    /// A new capability in init's table for `grant`: its rights plus
    /// `HELD`, derived from init's own (so never more than init has).
    fn capability(&self, grant: &Grant) -> Result<u64, Error> {
        match grant {
            Grant::Endpoint { name, rights } | Grant::Notification { name, rights } => {
                let object =
                    self.objects.iter().find(|(n, _)| n == name).map(|&(_, slot)| slot).ok_or(Error::NotFound)?;
                sys::cap_derive(object, *rights | HELD, 0, 0, 0)
            }
            Grant::IoPorts { base, count, rights } => {
                sys::cap_derive(INIT_IO_PORTS_SLOT, *rights | HELD, 0, u64::from(*base), u64::from(*count))
            }
            Grant::Irq { line } => sys::cap_derive(INIT_IRQ_SLOT, Rights::READ | HELD, 0, u64::from(*line), 1),
            Grant::Mmio { base, bytes, rights } => sys::cap_derive(INIT_MMIO_SLOT, *rights | HELD, 0, *base, *bytes),
            Grant::BootDir { rights } => sys::cap_derive(INIT_BOOT_DIR_SLOT, *rights | HELD, 0, 0, 0),
            Grant::File { path, rights } => sys::file_open(INIT_BOOT_DIR_SLOT, path.as_bytes(), *rights | HELD),
            Grant::Vfs { rights } => sys::cap_derive(INIT_VFS_SLOT, *rights | HELD, 0, 0, 0),
            Grant::Net { rights } => sys::cap_derive(INIT_NET_SLOT, *rights | HELD, 0, 0, 0),
        }
    }

    /// Waits for tasks to end, forever unless a task is awaited. Returns
    /// init's exit status.
    fn supervise(&mut self) -> i32 {
        loop {
            let bits = match sys::notify_wait(self.supervisor, FOREVER) {
                Ok(bits) => bits,
                Err(error) => {
                    println!("init: waiting for tasks failed: {}", error.name());
                    sys::sleep(1_000_000_000);
                    continue;
                }
            };
            for i in 0..self.tasks.len() {
                if bits & (1 << i) != 0 {
                    if let Some(code) = self.ended(i) {
                        return code;
                    }
                }
            }
        }
    }

    /// Task `i`'s bit was signalled: report how it ended and restart it if
    /// it may be. Returns init's exit status if it was the awaited task.
    fn ended(&mut self, i: usize) -> Option<i32> {
        let slot = self.tasks[i].slot?;
        let status = match sys::task_wait(slot, 0) {
            Ok(status) => status,
            // Still running: a stale bit.
            Err(Error::WouldBlock) => return None,
            Err(error) => {
                println!("init: cannot learn how {} ended: {}", self.manifest.tasks[i].name, error.name());
                return None;
            }
        };
        self.tasks[i].slot = None;
        let _ = sys::cap_delete(slot);
        let task = &self.manifest.tasks[i];
        let name = &task.name;
        report(name, &status);
        if crashed(&status) && task.restart > 0 {
            if self.tasks[i].restarts < task.restart {
                self.tasks[i].restarts += 1;
                println!("init: task {name}: restarting ({} of {})", self.tasks[i].restarts, task.restart);
                if self.start(i) {
                    return None;
                }
            } else {
                println!("init: task {name}: restart limit reached");
            }
        }
        let task = &self.manifest.tasks[i];
        if !task.wait {
            return None;
        }
        let code = match (status.kind, self.tasks[i].slot) {
            // Restarted, or about to be: keep waiting.
            (_, Some(_)) => return None,
            (TaskStatusKind::Exited, None) => status.code,
            _ => FAILURE,
        };
        println!("init: the awaited task {} has ended; exiting with {code}", task.name);
        Some(code)
    }
}

/// Whether a task ended by crashing: a CPU fault, or a Rust panic (the
/// runtime's panic handler ends the task with `rt::PANIC_EXIT_CODE`, which
/// is also how running out of memory ends it).
fn crashed(status: &TaskStatus) -> bool {
    match status.kind {
        TaskStatusKind::Faulted => true,
        TaskStatusKind::Exited => status.code == rt::PANIC_EXIT_CODE,
        TaskStatusKind::Killed => false,
    }
}

/// The supervision line for a task that ended.
fn report(name: &str, status: &TaskStatus) {
    match status.kind {
        TaskStatusKind::Faulted => {
            println!(
                "init: task {name} faulted (vector {}, address 0x{:x}, rip 0x{:x})",
                status.code, status.fault_addr, status.fault_ip
            );
        }
        TaskStatusKind::Exited if status.code == rt::PANIC_EXIT_CODE => {
            println!("init: task {name} panicked (exit code {})", status.code)
        }
        TaskStatusKind::Exited => println!("init: task {name} exited with {}", status.code),
        TaskStatusKind::Killed => println!("init: task {name} was killed"),
    }
}

/// A grant in a few words, for error messages.
fn describe(grant: &Grant) -> String {
    match grant {
        Grant::Endpoint { name, .. } => format!("endpoint {name}"),
        Grant::Notification { name, .. } => format!("notification {name}"),
        Grant::IoPorts { base, count, .. } => format!("ioports {base:#x}+{count}"),
        Grant::Irq { line } => format!("irq {line}"),
        Grant::Mmio { base, bytes, .. } => format!("mmio {base:#x}+{bytes:#x}"),
        Grant::BootDir { .. } => String::from("bootdir"),
        Grant::File { path, .. } => format!("file {path}"),
        Grant::Vfs { .. } => String::from("vfs"),
        Grant::Net { .. } => String::from("net"),
    }
}
