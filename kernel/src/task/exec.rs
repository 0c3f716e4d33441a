//! exec: replacing a process's program.
//!
//! The binary itself says which personality runs it (crates/binfmt): an ELF
//! for Linux gets the Linux personality; PE and Mach-O files are recognised
//! and refused until their personalities exist; `#!` scripts run their
//! interpreter. Only the head of the file is read (headers, the dynamic
//! linker's path, notes); segments are mapped from the page cache and
//! arrive on demand. A program with a `PT_INTERP` gets its dynamic linker
//! (Debian's `/lib64/ld-linux-x86-64.so.2`) mapped beside it, where the
//! thread starts; the personality then builds its OS's initial stack.

use super::core_ops::CoreOps;
use super::thread::Thread;
use crate::arch::layout::PAGE_SIZE;
use crate::mm::{AddressSpace, Backing, Mm, NodeHold, Vma, STACK_RESERVE, STACK_TOP};
use alloc::sync::Arc;
use alloc::vec::Vec;
use binfmt::Identity;
use kernel_ops::UserContext;
use kernel_ops::{Error, KResult, LoadedImage, Protection};
use vfs::NodeRef;

/// Where position-independent programs are placed (Linux's ELF_ET_DYN_BASE
/// on x86_64 without randomisation).
const MAX_SCRIPT_DEPTH: usize = 4;
/// What exec reads of a file first: enough for a `#!` line and, for almost
/// every ELF, its headers and notes.
const HEAD_FIRST: usize = 4096;
/// The most of a file's head exec reads (Linux bounds the program header
/// table at 64 KiB too); notes past it are not read.
const HEAD_LIMIT: u64 = 64 << 10;

fn page_down(a: u64) -> u64 {
    a & !(PAGE_SIZE - 1)
}

fn page_up(a: u64) -> u64 {
    (a + PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// The first bytes of a file and its size.
struct Head {
    bytes: Vec<u8>,
    size: u64,
}

/// Reads what exec needs to decide about a file (see `elf::loader_extent`).
fn read_head(node: NodeRef) -> KResult<Head> {
    let size = crate::fs::with_vfs(|v| v.metadata(node).map(|m| m.size))?;
    let mut len = (size as usize).min(HEAD_FIRST);
    for _ in 0..3 {
        let mut bytes = crate::fs::buffer(len)?;
        let n = crate::fs::read_node(node, 0, &mut bytes)?;
        bytes.truncate(n);
        let want = match elf::loader_extent(&bytes, HEAD_LIMIT.min(size)) {
            Ok(want) if want as usize > bytes.len() && bytes.len() == len => want as usize,
            _ => return Ok(Head { bytes, size }),
        };
        len = want;
    }
    let mut bytes = crate::fs::buffer(len)?;
    let n = crate::fs::read_node(node, 0, &mut bytes)?;
    bytes.truncate(n);
    Ok(Head { bytes, size })
}

/// Replaces the program of `t`'s process. On error before the point of no
/// return the old program continues; after it, the process is killed.
pub fn exec(t: &Arc<Thread>, frame: &mut UserContext, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
    exec_from(t, frame, Origin::Cwd, path, argv, envp)
}

/// Where execveat looks for its program (a script's interpreter is then
/// found as execve finds it).
#[derive(Clone)]
pub enum Origin {
    /// A path from the working directory (execve).
    Cwd,
    /// A path from this directory; a final symlink followed when `follow`
    /// (else `Loop`, as AT_SYMLINK_NOFOLLOW).
    Dir { dir: NodeRef, follow: bool },
    /// This very file (AT_EMPTY_PATH), known by `name`.
    Node { node: NodeRef, name: Vec<u8> },
}

/// The thread's name (`comm`) after an exec: the last component of the
/// path as the caller gave it, as Linux takes it: `sleep` run through a
/// symlink to busybox is "sleep", a script is its own name, not its
/// interpreter's. At most 15 bytes.
fn set_command_name(t: &Thread, path: &[u8]) {
    let base = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    let mut name = [0u8; 16];
    let n = base.len().min(15);
    name[..n].copy_from_slice(&base[..n]);
    *t.name.lock() = name;
}

pub fn exec_from(
    t: &Arc<Thread>,
    frame: &mut UserContext,
    origin: Origin,
    path: &[u8],
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
) -> KResult<()> {
    // An empty path (AT_EMPTY_PATH) keeps the name the loader gives.
    let given = (!path.is_empty()).then(|| path.to_vec());
    let mut argv = argv.to_vec();
    let mut path = path.to_vec();
    let mut origin = origin;
    for _ in 0..=MAX_SCRIPT_DEPTH {
        let (node, abs_path) = resolve_executable_from(t, &origin, &path)?;
        if !matches!(origin, Origin::Cwd) {
            // The interpreter of a script gets a path it can open.
            path = abs_path.clone();
            origin = Origin::Cwd;
        }
        // fanotify hears of it (and may refuse it) before it is read.
        let is_dir = crate::fs::with_vfs(|v| v.metadata(node).map(|m| m.is_dir())).unwrap_or(false);
        crate::fs::fanotify::executing(&crate::fs::notify::Subject {
            node,
            entry: None,
            is_dir,
            path: Some(&abs_path),
        })?;
        let head = read_head(node)?;
        match binfmt::identify(&head.bytes) {
            Identity::Script(script) => {
                // `#!interp arg` runs `interp [arg] path args...`.
                let mut new_argv = alloc::vec![script.interpreter.to_vec()];
                if let Some(a) = script.argument {
                    new_argv.push(a.to_vec());
                }
                new_argv.push(path.clone());
                new_argv.extend(argv.iter().skip(1).cloned());
                path = script.interpreter.to_vec();
                argv = new_argv;
                continue;
            }
            Identity::Elf(e) => {
                exec_elf(t, frame, node, &abs_path, &head, &e, &argv, envp)?;
                if let Some(given) = &given {
                    set_command_name(t, given);
                }
                return Ok(());
            }
            Identity::Pe(_) => {
                log_refusal(t, &abs_path, "a Windows PE program (the Windows personality does not exist yet)");
                return Err(Error::ExecFormat);
            }
            Identity::MachO(_) | Identity::FatMachO(_) => {
                log_refusal(t, &abs_path, "a Mach-O program (the Darwin personality does not exist yet)");
                return Err(Error::ExecFormat);
            }
            Identity::Malformed(why) => {
                log_refusal_fmt(t, &abs_path, format_args!("malformed headers ({why:?})"));
                return Err(Error::ExecFormat);
            }
            Identity::Unknown => {
                // A shell then runs the file as a script itself, as on Linux.
                log_refusal(t, &abs_path, "not a format Helctic runs (no ELF, #!, PE or Mach-O magic)");
                return Err(Error::ExecFormat);
            }
        }
    }
    Err(Error::Loop)
}

/// Runs the ELF in `node` (already opened by its holder, e.g. a native
/// task's file capability). Scripts are not followed here.
pub fn exec_node(
    t: &Arc<Thread>,
    frame: &mut UserContext,
    node: NodeRef,
    abs_path: &[u8],
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
) -> KResult<()> {
    let head = read_head(node)?;
    match binfmt::identify(&head.bytes) {
        Identity::Elf(e) => exec_elf(t, frame, node, abs_path, &head, &e, argv, envp),
        Identity::Malformed(why) => {
            log_refusal_fmt(t, abs_path, format_args!("malformed headers ({why:?})"));
            Err(Error::ExecFormat)
        }
        _ => {
            log_refusal(t, abs_path, "not an ELF program (scripts and other formats are not run this way)");
            Err(Error::ExecFormat)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn exec_elf(
    t: &Arc<Thread>,
    frame: &mut UserContext,
    node: NodeRef,
    abs_path: &[u8],
    head: &Head,
    e: &binfmt::ElfBinary,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
) -> KResult<()> {
    if e.machine != elf::Machine::X86_64 {
        log_refusal(t, abs_path, "an ELF for another CPU architecture");
        return Err(Error::ExecFormat);
    }
    let Some(personality) = crate::personality::for_elf(e.os) else {
        log_refusal_fmt(t, abs_path, format_args!("an ELF for {:?}, an OS with no personality in this kernel", e.os));
        return Err(Error::ExecFormat);
    };
    load_elf(t, frame, node, abs_path, head, argv, envp, personality)
}

fn log_refusal(t: &Arc<Thread>, path: &[u8], what: &str) {
    crate::warn!("exec: pid {} refused {} : {}", t.process().pid, alloc::string::String::from_utf8_lossy(path), what);
}

fn log_refusal_fmt(t: &Arc<Thread>, path: &[u8], what: core::fmt::Arguments<'_>) {
    crate::warn!("exec: pid {} refused {} : {}", t.process().pid, alloc::string::String::from_utf8_lossy(path), what);
}

/// The owner a set-user-ID file (and the group a group-executable
/// set-group-ID file) gives the program it runs.
fn set_ids_of(node: NodeRef) -> kernel_ops::SetIds {
    let Ok(meta) = crate::fs::with_vfs(|v| v.metadata(node)) else { return kernel_ops::SetIds::default() };
    kernel_ops::SetIds {
        uid: (meta.mode & vfs::SET_UID != 0).then_some(meta.uid),
        gid: (meta.mode & vfs::SET_GID != 0 && meta.mode & 0o010 != 0).then_some(meta.gid),
    }
}

/// Looks up an executable: a regular file with execute permission.
fn resolve_executable_from(t: &Arc<Thread>, origin: &Origin, path: &[u8]) -> KResult<(NodeRef, Vec<u8>)> {
    let p = t.process();
    let fs = p.fs().lock().clone();
    let creds = p.vfs_credentials();
    crate::fs::with_vfs(|v| {
        let (start, follow) = match origin {
            Origin::Cwd => (fs.cwd, true),
            Origin::Dir { dir, follow } => (*dir, *follow),
            Origin::Node { node, name } => {
                let meta = v.metadata(*node)?;
                if meta.file_type != vfs::FileType::Regular || meta.mode & 0o111 == 0 {
                    return Err(Error::PermissionDenied);
                }
                vfs::check_access(&meta, &creds, vfs::Access::EXECUTE).map_err(Error::from)?;
                return Ok((*node, name.clone()));
            }
        };
        let node = v.resolve(start, fs.root, path, follow, &creds)?;
        let meta = v.metadata(node)?;
        if meta.file_type == vfs::FileType::Symlink {
            return Err(Error::Loop);
        }
        if meta.file_type != vfs::FileType::Regular {
            return Err(Error::PermissionDenied);
        }
        if meta.mode & 0o111 == 0 {
            return Err(Error::PermissionDenied);
        }
        vfs::check_access(&meta, &creds, vfs::Access::EXECUTE).map_err(Error::from)?;
        let abs = crate::fs::absolute_path(v, start, fs.root, path, &creds).unwrap_or_else(|| path.to_vec());
        Ok((node, abs))
    })
}

/// Whose image a check is about. A fault in the program itself is ENOEXEC;
/// in its dynamic linker, ELIBBAD, Linux's answer for a broken
/// interpreter. Either way the log line names the program.
#[derive(Clone, Copy)]
enum Whose<'a> {
    Program,
    Linker(&'a [u8]),
}

/// Logs why exec refused (one line, naming the program) and gives the error.
fn refuse(t: &Arc<Thread>, program: &[u8], whose: Whose<'_>, what: core::fmt::Arguments<'_>) -> Error {
    match whose {
        Whose::Program => {
            log_refusal_fmt(t, program, what);
            Error::ExecFormat
        }
        Whose::Linker(linker) => {
            log_refusal_fmt(
                t,
                program,
                format_args!("its dynamic linker {}: {what}", alloc::string::String::from_utf8_lossy(linker)),
            );
            Error::BadLibrary
        }
    }
}

/// An ELF file checked for loading.
struct Image<'a> {
    file: elf::ElfFile<'a>,
    plan: elf::LoadPlan,
}

fn check_image<'a>(t: &Arc<Thread>, program: &[u8], whose: Whose<'_>, head: &'a Head) -> KResult<Image<'a>> {
    let file = elf::ElfFile::parse(&head.bytes)
        .map_err(|e| refuse(t, program, whose, format_args!("malformed ELF headers ({e:?})")))?;
    let plan = file
        .load_plan_for_size(head.size)
        .map_err(|e| refuse(t, program, whose, format_args!("bad loadable segments ({e:?})")))?;
    Ok(Image { file, plan })
}

/// Where loaded segments may lie: above the first 64 KiB, below the
/// stack's reserve.
const USER_IMAGE: elf::AddressRange =
    elf::AddressRange { min: crate::mm::USER_MIN, limit: STACK_TOP - STACK_RESERVE, page: PAGE_SIZE };

/// Checks that every loadable segment, moved by `bias`, lies in user
/// memory (`elf::ElfFile::check_placement`), so that mapping them cannot
/// overflow. Linux finds such segments only while mapping, past the point
/// of no return, and kills the process; here exec fails and the old
/// program goes on.
fn check_placement(t: &Arc<Thread>, program: &[u8], whose: Whose<'_>, image: &Image<'_>, bias: u64) -> KResult<()> {
    image.file.check_placement(bias, USER_IMAGE).map_err(|m| {
        let at = m.segment.vaddr.wrapping_add(bias);
        refuse(t, program, whose, format_args!("the segment at {at:#x} (+{:#x} bytes): {}", m.segment.memsz, m.reason))
    })
}

/// The dynamic linker a program names in `PT_INTERP`, read from the head
/// or, when the segment lies past it, from the file. The checks and their
/// order are Linux's: the size (2 to PATH_MAX bytes, ENOEXEC), the read
/// (EINVAL for an offset no file position can have, EIO when the file
/// ends first), the final NUL (ENOEXEC).
fn interpreter_path(
    t: &Arc<Thread>,
    path: &[u8],
    node: NodeRef,
    head: &Head,
    image: &Image<'_>,
) -> KResult<Option<Vec<u8>>> {
    let bad = |e: elf::Error| refuse(t, path, Whose::Program, format_args!("bad PT_INTERP ({e:?})"));
    let Some(ph) = image.file.interpreter_segment().map_err(bad)? else {
        return Ok(None);
    };
    let data = match image.file.segment_data(&ph) {
        Ok(d) => d.to_vec(),
        Err(_) => {
            let end = ph.file_end().filter(|end| *end <= i64::MAX as u64);
            let Some(end) = end else {
                log_refusal_fmt(
                    t,
                    path,
                    format_args!("its PT_INTERP is at offset {:#x}, which no file has", ph.offset),
                );
                return Err(Error::InvalidArgument);
            };
            if end > head.size {
                log_refusal_fmt(
                    t,
                    path,
                    format_args!("its PT_INTERP ends at {end:#x}, past the end of the file ({:#x})", head.size),
                );
                return Err(Error::Io);
            }
            let mut buf = crate::fs::buffer((end - ph.offset) as usize)?;
            let n = read_at(node, ph.offset, &mut buf)?;
            if n < buf.len() {
                log_refusal(t, path, "its PT_INTERP could not be read whole");
                return Err(Error::Io);
            }
            buf
        }
    };
    match elf::interpreter_path(&data) {
        Ok(p) => Ok(Some(p.to_vec())),
        // Linux opens the empty path without the check open(2) makes: it
        // names the working directory, which cannot be executed.
        Err(elf::Error::InterpreterEmpty) => {
            log_refusal(t, path, "its PT_INTERP is an empty path");
            Err(Error::PermissionDenied)
        }
        Err(e) => Err(bad(e)),
    }
}

/// Reads from `offset` until `buf` is full or the file ends.
fn read_at(node: NodeRef, offset: u64, buf: &mut [u8]) -> KResult<usize> {
    let mut done = 0;
    while done < buf.len() {
        let n = crate::fs::read_node(node, offset + done as u64, &mut buf[done..])?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done)
}

/// Maps an image's `PT_LOAD` segments at `bias`, backed by its file. The
/// segments were checked by `check_placement`: no sum below overflows.
fn map_segments(a: &mut AddressSpace, image: &Image<'_>, bias: u64, hold: &Arc<NodeHold>) {
    for seg in image.file.load_segments() {
        if seg.memsz == 0 {
            continue;
        }
        let prot =
            Protection { read: seg.flags.readable(), write: seg.flags.writable(), execute: seg.flags.executable() };
        let vaddr = seg.vaddr + bias;
        let start = page_down(vaddr);
        let file_end = vaddr + seg.filesz;
        let mem_end = page_up(vaddr + seg.memsz);
        let file_part_end = if seg.filesz > 0 { page_up(file_end).min(mem_end) } else { start };
        // Segments may share a page at their boundary; the later one's
        // mapping of the shared file page wins, as with Linux's MAP_FIXED.
        a.unmap(start, mem_end);
        if file_part_end > start {
            // With p_align 0 or 1 this offset need not be page-aligned;
            // the fault path copies such pages.
            let offset = seg.offset - (vaddr - start);
            a.insert(
                start,
                Vma {
                    end: file_part_end,
                    prot,
                    backing: Backing::File { node: hold.clone(), offset, valid: file_end - start },
                    pgoff: 0,
                    is_stack: false,
                    grows_down: false,
                },
            );
        }
        if mem_end > file_part_end {
            a.insert(
                file_part_end,
                Vma { end: mem_end, prot, backing: Backing::Anonymous, pgoff: 0, is_stack: false, grows_down: false },
            );
        }
    }
}

/// The dynamic linker, checked and ready to map.
struct Interpreter {
    node: NodeRef,
    path: Vec<u8>,
    head: Head,
}

/// Opens the dynamic linker `interp` (resolved from the caller's working
/// directory, as Linux does) with Linux's answers: the lookup's errno
/// (ENOENT, EACCES, ENOTDIR, ELOOP), EIO for a file shorter than an ELF
/// header, ELIBBAD for one that is not an x86-64 ELF.
fn open_interpreter(t: &Arc<Thread>, program: &[u8], interp: &[u8]) -> KResult<Interpreter> {
    let name = alloc::string::String::from_utf8_lossy(interp);
    let (node, path) = resolve_executable_from(t, &Origin::Cwd, interp).inspect_err(|&e| {
        log_refusal_fmt(t, program, format_args!("its dynamic linker {name} cannot be run ({e:?})"));
    })?;
    let head = read_head(node)?;
    if head.bytes.len() < elf::FILE_HEADER_SIZE {
        log_refusal_fmt(
            t,
            program,
            format_args!("its dynamic linker {name} is shorter than an ELF header ({} bytes)", head.bytes.len()),
        );
        return Err(Error::Io);
    }
    let whose = Whose::Linker(interp);
    match binfmt::identify(&head.bytes) {
        Identity::Elf(e) if e.machine == elf::Machine::X86_64 => Ok(Interpreter { node, path, head }),
        Identity::Elf(_) => Err(refuse(t, program, whose, format_args!("an ELF for another CPU architecture"))),
        Identity::Malformed(why) => Err(refuse(t, program, whose, format_args!("malformed headers ({why:?})"))),
        _ => Err(refuse(t, program, whose, format_args!("not an ELF file"))),
    }
}

/// Where the dynamic linker goes: where mmap would put it (top down,
/// below the stack), as on Linux; a fixed-address one at its own address.
fn place_interpreter(
    t: &Arc<Thread>,
    program: &[u8],
    a: &AddressSpace,
    li: &Image<'_>,
    whose: Whose<'_>,
) -> KResult<u64> {
    if !li.plan.is_position_independent() {
        return Ok(0);
    }
    let align = li.plan.max_align.max(PAGE_SIZE);
    let Some(room) = li.plan.room_needed(PAGE_SIZE).filter(|r| *r <= USER_IMAGE.limit) else {
        return Err(refuse(
            t,
            program,
            whose,
            format_args!("it needs {:#x} bytes aligned to {align:#x}, more than a process has", li.plan.span()),
        ));
    };
    let Some(base) = a.find_free(room) else {
        log_refusal_fmt(t, program, format_args!("no room for its dynamic linker ({room:#x} bytes)"));
        return Err(Error::NoMemory);
    };
    li.plan
        .bias_at_or_above(base, PAGE_SIZE)
        .ok_or_else(|| refuse(t, program, whose, format_args!("it cannot be aligned to {align:#x}")))
}

#[allow(clippy::too_many_arguments)]
fn load_elf(
    t: &Arc<Thread>,
    frame: &mut UserContext,
    node: NodeRef,
    abs_path: &[u8],
    head: &Head,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    registered: &'static crate::personality::Registered,
) -> KResult<()> {
    let personality = registered.personality;
    let image = check_image(t, abs_path, Whose::Program, head)?;
    let interp = match interpreter_path(t, abs_path, node, head, &image)? {
        Some(path) => Some((open_interpreter(t, abs_path, &path)?, path)),
        None => None,
    };
    let interp_image = match &interp {
        Some((i, name)) => Some(check_image(t, abs_path, Whose::Linker(name), &i.head)?),
        None => None,
    };
    let bias = if image.plan.is_position_independent() {
        image.plan.bias_at_or_above(personality.program_base(), PAGE_SIZE).ok_or_else(|| {
            refuse(t, abs_path, Whose::Program, format_args!("it cannot be aligned to {:#x}", image.plan.max_align))
        })?
    } else {
        0
    };
    check_placement(t, abs_path, Whose::Program, &image, bias)?;
    let phdr = match image.plan.phdr_vaddr {
        Some(v) => v.wrapping_add(bias),
        None => {
            log_refusal(t, abs_path, "its program headers are not in any loadable segment (no AT_PHDR)");
            return Err(Error::ExecFormat);
        }
    };
    // ETXTBSY while the program is open for writing; once running, its
    // file cannot be (write_denial.rs).
    let denial = crate::fs::write_denial::WriteDenial::new(node)?;
    let mm = Mm::new().map_err(|_| Error::NoMemory)?;
    mm.set_program_file(denial);
    // Taken before the address space's spinlock: a hold sleeps on the VFS.
    let hold = NodeHold::new(node, abs_path.to_vec());
    let interp_hold = interp.as_ref().map(|(i, _)| NodeHold::new(i.node, i.path.clone()));
    let mut interp_base = 0;
    let mut vdso_base = 0;
    let mut start = image.plan.entry.wrapping_add(bias);
    {
        let mut a = mm.lock();
        map_segments(&mut a, &image, bias, &hold);
        // check_placement keeps the image's end within USER_IMAGE.
        let end = page_up(image.plan.highest_vaddr_end + bias);
        a.brk_base = end;
        a.brk = end;
        a.insert(
            STACK_TOP - STACK_RESERVE,
            Vma {
                end: STACK_TOP,
                prot: Protection { read: true, write: true, execute: false },
                backing: Backing::Anonymous,
                pgoff: 0,
                is_stack: true,
                grows_down: true,
            },
        );
        if let (Some(li), Some(ih), Some((_, name))) = (&interp_image, &interp_hold, &interp) {
            let whose = Whose::Linker(name);
            let ibias = place_interpreter(t, abs_path, &a, li, whose)?;
            check_placement(t, abs_path, whose, li, ibias)?;
            map_segments(&mut a, li, ibias, ih);
            interp_base = page_down(li.plan.lowest_vaddr).wrapping_add(ibias);
            start = li.plan.entry.wrapping_add(ibias);
        }
        // Linux programs get the vDSO (native ones have no use for it).
        if personality.maps_vdso() {
            vdso_base = crate::mm::vdso::map_into(&mut a).unwrap_or(0);
        }
    }
    // A native program may be a server the VFS itself waits on (the ext2
    // server): its code must never fault into the VFS. Its image is read
    // in whole now, while nobody waits for it.
    if personality.loads_whole_image() {
        let file_ranges: alloc::vec::Vec<(u64, u64)> = mm
            .lock()
            .vmas()
            .filter(|(_, v)| matches!(v.backing, crate::mm::Backing::File { .. }))
            .map(|(start, v)| (start, v.end))
            .collect();
        for (start, end) in file_ranges {
            for page in (start..end).step_by(crate::arch::layout::PAGE_SIZE as usize) {
                mm.handle_fault(page, crate::mm::Access::Read).map_err(|_| Error::NoMemory)?;
            }
        }
    }

    // A traced program runs with its caller's ids: a tracer must not gain
    // a set-user-ID program's privileges through it.
    let set_ids = if super::ptrace::is_traced(t) { kernel_ops::SetIds::default() } else { set_ids_of(node) };

    // The point of no return: the old program is about to disappear.
    let p = t.process().clone();
    for other in p.threads.lock().iter() {
        if !Arc::ptr_eq(other, t) {
            other.mark_pending(&mut other.signals.lock(), kernel_ops::Signal::KILL.bit());
            crate::sched::wake(other);
        }
    }
    p.unshare_files();
    let closing = p.files().lock().take_close_on_exec();
    drop(closing);
    p.reset_actions_for_exec();
    let (before, creds) = {
        let mut c = p.creds.lock();
        let before = *c;
        *c = c.after_exec(set_ids);
        (before, *c)
    };
    let old = p.replace_mm(mm.clone());
    if crate::sched::current().tid == t.tid {
        mm.activate();
    }
    drop(old);
    *p.exe.lock() = abs_path.to_vec();
    let mut cmdline = Vec::new();
    for a in argv {
        cmdline.extend_from_slice(a);
        cmdline.push(0);
    }
    *p.cmdline.lock() = cmdline;
    set_command_name(t, abs_path);
    p.set_personality(registered);
    super::lifecycle::release_vfork_parent(&p);
    t.context().set_fpu(crate::arch::context::FpuState::initial(), crate::sched::current().tid == t.tid);
    t.context().set_thread_pointer(0, crate::sched::current().tid == t.tid);
    t.signals.lock().alt_stack = kernel_ops::AltStack { base: 0, size: 0, disabled: true };

    let image = LoadedImage {
        entry: image.plan.entry.wrapping_add(bias),
        start,
        phdr,
        phnum: image.file.program_header_count() as u64,
        phent: u64::from(image.file.header().phentsize),
        base: interp_base,
        stack_top: STACK_TOP,
        exec_path: argv.first().cloned().unwrap_or_default(),
        uid: creds.uid,
        euid: creds.euid,
        gid: creds.gid,
        egid: creds.egid,
        secure: creds.euid != before.euid
            || creds.egid != before.egid
            || !creds.privileges.permitted.is_subset_of(before.privileges.permitted),
        vdso_base,
    };
    *frame = UserContext::new_program(image.start, STACK_TOP);
    let mut ops = CoreOps::new(t, frame);
    if let Err(e) = personality.start_program(&mut ops, &image, argv, envp) {
        crate::warn!("exec: pid {}: cannot build the initial stack ({e:?}); killing it", p.pid);
        super::signal::send_to_process(&p, kernel_ops::Signal::KILL, kernel_ops::SignalCause::Kernel);
        return Ok(());
    }
    if p.is_native() {
        if let Err(e) = crate::native::on_exec(t) {
            crate::warn!("exec: pid {}: cannot give the native task its capabilities ({e:?}); killing it", p.pid);
            super::signal::send_to_process(&p, kernel_ops::Signal::KILL, kernel_ops::SignalCause::Kernel);
        }
    }
    Ok(())
}
