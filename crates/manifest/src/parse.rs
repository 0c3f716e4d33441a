//! Text to [`Manifest`], one line at a time, checking every rule of the
//! format (see the crate documentation) on the way.

use crate::lex;
use crate::{
    Grant, Manifest, Object, ObjectKind, ParseError, Task, IO_PORT_END, MAX_GRANTS, MAX_INPUT, MAX_OBJECTS,
    MAX_RESTARTS, MAX_TASKS,
};
use alloc::string::String;
use alloc::vec::Vec;

type LineResult = Result<(), &'static str>;

/// Parses and validates a manifest. Never panics; see the crate
/// documentation for the format and the errors.
pub fn parse(text: &[u8]) -> Result<Manifest, ParseError> {
    if text.len() > MAX_INPUT {
        return Err(ParseError { line: 0, message: "input larger than 64 KiB" });
    }
    if let Err(e) = core::str::from_utf8(text) {
        let before = text.get(..e.valid_up_to()).unwrap_or_default();
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        return Err(ParseError { line, message: "input is not UTF-8" });
    }
    let mut parser = Parser::default();
    for (index, raw) in text.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        parser.line(line, raw).map_err(|message| ParseError { line, message })?;
    }
    parser.finish()
}

/// Task lines that may appear at most once per task, as bits of
/// `Parser::seen`.
const IMAGE: u8 = 1 << 0;
const ARG: u8 = 1 << 1;
const MEMORY: u8 = 1 << 2;
const RESTART: u8 = 1 << 3;
const AFTER: u8 = 1 << 4;
const WAIT: u8 = 1 << 5;

#[derive(Default)]
struct Parser {
    manifest: Manifest,
    /// A task block is open: the last task in `manifest.tasks`.
    in_task: bool,
    /// Which once-only lines the open task block has had.
    seen: u8,
    /// Some task has said `wait`.
    waiter: bool,
    /// Object grants to resolve once every object is known: the line, the
    /// kind the grant asked for and the object's name.
    references: Vec<(usize, ObjectKind, String)>,
}

/// Exactly `N` more words, or `None`.
fn args<'a, const N: usize>(mut words: impl Iterator<Item = &'a [u8]>) -> Option<[&'a [u8]; N]> {
    let mut out: [&[u8]; N] = [&[]; N];
    for slot in out.iter_mut() {
        *slot = words.next()?;
    }
    match words.next() {
        Some(_) => None,
        None => Some(out),
    }
}

impl Parser {
    fn line(&mut self, line: usize, raw: &[u8]) -> LineResult {
        let content = raw.split(|&b| b == b'#').next().unwrap_or_default();
        let mut words = content.split(u8::is_ascii_whitespace).filter(|w| !w.is_empty());
        let Some(keyword) = words.next() else {
            return Ok(());
        };
        match keyword {
            b"endpoint" => {
                let [name] = args(words).ok_or("usage: endpoint <name>")?;
                self.object(ObjectKind::Endpoint, name)
            }
            b"notification" => {
                let [name] = args(words).ok_or("usage: notification <name>")?;
                self.object(ObjectKind::Notification, name)
            }
            b"task" => {
                let [name] = args(words).ok_or("usage: task <name>")?;
                self.task(name)
            }
            b"mount" => {
                const USAGE: &str = "usage: mount <device> <fstype> <path> [ro]";
                let device = lex::name(words.next().ok_or(USAGE)?)?;
                let fstype = lex::name(words.next().ok_or(USAGE)?)?;
                let path = words.next().ok_or(USAGE)?;
                let read_only = match (words.next(), words.next()) {
                    (None, None) => false,
                    (Some(b"ro"), None) => true,
                    _ => return Err(USAGE),
                };
                if path.first() != Some(&b'/') {
                    return Err("mount path must be absolute");
                }
                let path = if path == b"/" { "/".into() } else { alloc::format!("/{}", lex::path(&path[1..])?) };
                if self.manifest.mounts.len() >= crate::MAX_MOUNTS {
                    return Err("too many mounts (at most 8)");
                }
                self.manifest.mounts.push(crate::Mount { device, fstype, path, read_only });
                Ok(())
            }
            b"image" => {
                let task = self.once(IMAGE, "image given twice in one task")?;
                let [path] = args(words).ok_or("usage: image <path>")?;
                task.image = lex::path(path)?;
                Ok(())
            }
            b"arg" => {
                let task = self.once(ARG, "arg given twice in one task")?;
                let [value] = args(words).ok_or("usage: arg <number>")?;
                task.arg = lex::number(value)?;
                Ok(())
            }
            b"memory" => {
                let task = self.once(MEMORY, "memory given twice in one task")?;
                let [pages] = args(words).ok_or("usage: memory <pages>")?;
                task.memory_pages = lex::number(pages)?;
                Ok(())
            }
            b"restart" => {
                let task = self.once(RESTART, "restart given twice in one task")?;
                let [count] = args(words).ok_or("usage: restart never|<count>")?;
                task.restart = if count == b"never" {
                    0
                } else {
                    u32::try_from(lex::number(count)?)
                        .ok()
                        .filter(|&n| n <= MAX_RESTARTS)
                        .ok_or("restart count above 100")?
                };
                Ok(())
            }
            b"after" => {
                self.once(AFTER, "after given twice in one task")?;
                let [name] = args(words).ok_or("usage: after <task>")?;
                self.after(name)
            }
            b"wait" => {
                self.once(WAIT, "wait given twice in one task")?;
                args::<0>(words).ok_or("usage: wait")?;
                if self.waiter {
                    return Err("only one task may wait");
                }
                self.current()?.wait = true;
                self.waiter = true;
                Ok(())
            }
            b"grant" => {
                if self.current()?.grants.len() >= MAX_GRANTS {
                    return Err("more than 16 grants in one task");
                }
                self.grant(line, words)
            }
            _ => Err("unknown keyword"),
        }
    }

    fn object(&mut self, kind: ObjectKind, name: &[u8]) -> LineResult {
        self.in_task = false;
        let name = lex::name(name)?;
        if self.manifest.objects.iter().any(|o| o.name == name) {
            return Err("object name declared twice");
        }
        if self.manifest.objects.len() >= MAX_OBJECTS {
            return Err("more than 32 objects");
        }
        self.manifest.objects.push(Object { kind, name });
        Ok(())
    }

    fn task(&mut self, name: &[u8]) -> LineResult {
        self.in_task = false;
        let name = lex::name(name)?;
        if self.manifest.task(&name).is_some() {
            return Err("task name declared twice");
        }
        if self.manifest.tasks.len() >= MAX_TASKS {
            return Err("more than 32 tasks");
        }
        self.manifest.tasks.push(Task {
            image: name.clone(),
            name,
            arg: 0,
            memory_pages: 0,
            restart: 0,
            after: None,
            wait: false,
            grants: Vec::new(),
        });
        self.in_task = true;
        self.seen = 0;
        Ok(())
    }

    /// The open task block's task.
    fn current(&mut self) -> Result<&mut Task, &'static str> {
        const OUTSIDE: &str = "task keyword outside a task block";
        if !self.in_task {
            return Err(OUTSIDE);
        }
        self.manifest.tasks.last_mut().ok_or(OUTSIDE)
    }

    /// The open task, after checking that the once-only line `bit` is new.
    fn once(&mut self, bit: u8, twice: &'static str) -> Result<&mut Task, &'static str> {
        self.current()?;
        if self.seen & bit != 0 {
            return Err(twice);
        }
        self.seen |= bit;
        self.current()
    }

    fn after(&mut self, name: &[u8]) -> LineResult {
        let name = lex::name(name)?;
        let (task, earlier) = self.manifest.tasks.split_last_mut().ok_or("task keyword outside a task block")?;
        if !earlier.iter().any(|t| t.name == name) {
            return Err("after must name a task declared earlier");
        }
        task.after = Some(name);
        Ok(())
    }

    fn grant<'a>(&mut self, line: usize, mut words: impl Iterator<Item = &'a [u8]>) -> LineResult {
        let kind = words.next().unwrap_or_default();
        let grant = match kind {
            b"endpoint" | b"notification" => {
                let (object, usage) = if kind == b"endpoint" {
                    (ObjectKind::Endpoint, "usage: grant endpoint <name> <rights>")
                } else {
                    (ObjectKind::Notification, "usage: grant notification <name> <rights>")
                };
                let [name, rights] = args(words).ok_or(usage)?;
                let name = lex::name(name)?;
                let rights = lex::rights(rights)?;
                self.references.push((line, object, name.clone()));
                match object {
                    ObjectKind::Endpoint => Grant::Endpoint { name, rights },
                    ObjectKind::Notification => Grant::Notification { name, rights },
                }
            }
            b"ioports" => {
                let [base, count, rights] = args(words).ok_or("usage: grant ioports <base> <count> <rights>")?;
                let base = lex::number(base)?;
                let count = lex::number(count)?;
                let rights = lex::rights(rights)?;
                if count == 0 {
                    return Err("ioports count is zero");
                }
                let end = base.checked_add(count).filter(|&end| end <= u64::from(IO_PORT_END));
                let (Some(_), Ok(base), Ok(count)) = (end, u16::try_from(base), u32::try_from(count)) else {
                    return Err("ioports range beyond 0x10000");
                };
                Grant::IoPorts { base, count, rights }
            }
            b"irq" => {
                let [irq] = args(words).ok_or("usage: grant irq <line>")?;
                let irq = lex::number(irq)?;
                let line = u8::try_from(irq)
                    .ok()
                    .filter(|&l| u64::from(l) < abi::IRQ_LINES)
                    .ok_or("irq line must be below 24")?;
                Grant::Irq { line }
            }
            b"mmio" => {
                let [base, bytes, rights] = args(words).ok_or("usage: grant mmio <base> <bytes> <rights>")?;
                let base = lex::number(base)?;
                let bytes = lex::number(bytes)?;
                let rights = lex::rights(rights)?;
                if base % abi::PAGE_SIZE != 0 {
                    return Err("mmio base not page aligned");
                }
                if bytes == 0 {
                    return Err("mmio size is zero");
                }
                if bytes % abi::PAGE_SIZE != 0 {
                    return Err("mmio size not page aligned");
                }
                if base.checked_add(bytes).is_none() {
                    return Err("mmio range wraps past 2^64");
                }
                Grant::Mmio { base, bytes, rights }
            }
            b"bootdir" => {
                let [rights] = args(words).ok_or("usage: grant bootdir <rights>")?;
                Grant::BootDir { rights: lex::rights(rights)? }
            }
            b"file" => {
                let [path, rights] = args(words).ok_or("usage: grant file <path> <rights>")?;
                let path = lex::path(path)?;
                Grant::File { path, rights: lex::rights(rights)? }
            }
            b"vfs" => {
                let [rights] = args(words).ok_or("usage: grant vfs <rights>")?;
                Grant::Vfs { rights: lex::rights(rights)? }
            }
            b"net" => {
                let [rights] = args(words).ok_or("usage: grant net <rights>")?;
                Grant::Net { rights: lex::rights(rights)? }
            }
            _ => {
                return Err("unknown grant kind (endpoint, notification, ioports, irq, mmio, bootdir, file, vfs, net)")
            }
        };
        self.current()?.grants.push(grant);
        Ok(())
    }

    /// Resolves the object grants, now that every object is declared.
    fn finish(self) -> Result<Manifest, ParseError> {
        for (line, kind, name) in &self.references {
            let message = match self.manifest.object(name) {
                None => "grant names an undeclared object",
                Some(o) if o.kind == *kind => continue,
                Some(_) => match kind {
                    ObjectKind::Endpoint => "grant endpoint names a notification",
                    ObjectKind::Notification => "grant notification names an endpoint",
                },
            };
            return Err(ParseError { line: *line, message });
        }
        Ok(self.manifest)
    }
}
