//! The sysctl MIB this personality answers, as plain data, and the pure
//! functions that walk it the way sys/kern/kern_sysctl.c does: by number
//! (`sysctl_find_oid`), by dotted name (`name2oid`), back to a name
//! (`sysctl_sysctl_name`) and in order (`sysctl_sysctl_next`). None of
//! them touches the core; the values are `super`'s.
//!
//! Numbers are those of sys/sys/sysctl.h where FreeBSD fixes them
//! (KERN_OSTYPE and the like). Nodes FreeBSD numbers at boot (OID_AUTO,
//! from CTL_AUTO_START = 0x100 up: kern.smp and its children) get
//! numbers from that range here too; programs look them up by name.

use alloc::vec::Vec;
use kernel_ops::Error;

/// The longest name, in numbers (CTL_MAXNAME).
pub const CTL_MAXNAME: usize = 24;

/// What a leaf holds; `super::value` produces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    OsType,
    OsRelease,
    OsRevision,
    Version,
    ArgMax,
    Hostname,
    NGroups,
    BootTime,
    NisDomainName,
    OsRelDate,
    MaxFilesPerProc,
    IovMax,
    Arandom,
    /// kern.proc.pathname: its handler takes the pid as the next number.
    ProcPathname,
    SmpMaxCpus,
    SmpCpus,
    Machine,
    NCpu,
    PhysMem,
    PageSize,
    MachineArch,
}

#[derive(Debug)]
pub enum Kind {
    /// A node whose children are listed in ascending number order, as
    /// FreeBSD keeps them (the order `next` walks).
    Dir(&'static [Node]),
    Leaf {
        leaf: Leaf,
        writable: bool,
    },
    /// A node with a handler of its own: the numbers after it are the
    /// handler's arguments (kern.proc.pathname.<pid>).
    Handler(Leaf),
}

#[derive(Debug)]
pub struct Node {
    pub number: i32,
    pub name: &'static str,
    pub kind: Kind,
}

const fn ro(number: i32, name: &'static str, leaf: Leaf) -> Node {
    Node { number, name, kind: Kind::Leaf { leaf, writable: false } }
}

const fn rw(number: i32, name: &'static str, leaf: Leaf) -> Node {
    Node { number, name, kind: Kind::Leaf { leaf, writable: true } }
}

const fn dir(number: i32, name: &'static str, children: &'static [Node]) -> Node {
    Node { number, name, kind: Kind::Dir(children) }
}

pub const CTL_SYSCTL: i32 = 0;
pub const CTL_KERN: i32 = 1;
pub const CTL_HW: i32 = 6;
/// The first number FreeBSD gives an OID_AUTO node.
const CTL_AUTO_START: i32 = 0x100;
/// kern.proc's KERN_PROC_PATHNAME.
pub const KERN_PROC_PATHNAME: i32 = 12;

static KERN_PROC: [Node; 1] =
    [Node { number: KERN_PROC_PATHNAME, name: "pathname", kind: Kind::Handler(Leaf::ProcPathname) }];

static KERN_SMP: [Node; 2] =
    [ro(CTL_AUTO_START, "maxcpus", Leaf::SmpMaxCpus), ro(CTL_AUTO_START + 1, "cpus", Leaf::SmpCpus)];

static KERN: [Node; 15] = [
    ro(1, "ostype", Leaf::OsType),
    ro(2, "osrelease", Leaf::OsRelease),
    ro(3, "osrevision", Leaf::OsRevision),
    ro(4, "version", Leaf::Version),
    ro(8, "argmax", Leaf::ArgMax),
    rw(10, "hostname", Leaf::Hostname),
    dir(14, "proc", &KERN_PROC),
    ro(18, "ngroups", Leaf::NGroups),
    ro(21, "boottime", Leaf::BootTime),
    rw(22, "nisdomainname", Leaf::NisDomainName),
    ro(24, "osreldate", Leaf::OsRelDate),
    ro(27, "maxfilesperproc", Leaf::MaxFilesPerProc),
    ro(35, "iov_max", Leaf::IovMax),
    ro(37, "arandom", Leaf::Arandom),
    dir(CTL_AUTO_START, "smp", &KERN_SMP),
];

static HW: [Node; 5] = [
    ro(1, "machine", Leaf::Machine),
    ro(3, "ncpu", Leaf::NCpu),
    ro(5, "physmem", Leaf::PhysMem),
    ro(7, "pagesize", Leaf::PageSize),
    ro(11, "machine_arch", Leaf::MachineArch),
];

/// The top level (CTL_SYSCTL's magic nodes are `super`'s, not data).
pub static ROOT: [Node; 2] = [dir(CTL_KERN, "kern", &KERN), dir(CTL_HW, "hw", &HW)];

/// A leaf found by number: what it holds, whether it may be written,
/// and where its handler's own arguments start in the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub leaf: Leaf,
    pub writable: bool,
    pub rest: usize,
}

/// `sysctl_find_oid` and `sysctl_root`: a number that names nothing is
/// ENOENT, numbers past a plain leaf ENOTDIR, a name ending at a node
/// without a handler EISDIR.
pub fn find(name: &[i32]) -> Result<Found, Error> {
    let mut list: &[Node] = &ROOT;
    for (i, &n) in name.iter().enumerate().take(CTL_MAXNAME) {
        let node = list.iter().find(|x| x.number == n).ok_or(Error::NotFound)?;
        let last = i + 1 == name.len();
        match node.kind {
            Kind::Dir(_) if last => return Err(Error::IsDirectory),
            Kind::Dir(children) => list = children,
            Kind::Handler(leaf) => return Ok(Found { leaf, writable: false, rest: i + 1 }),
            Kind::Leaf { leaf, writable } if last => return Ok(Found { leaf, writable, rest: i + 1 }),
            Kind::Leaf { .. } => return Err(Error::NotDirectory),
        }
    }
    Err(Error::NotFound)
}

/// `name2oid` ({0,3}): the numbers of a dotted name. The name ends at
/// its first NUL, as the kernel's C string does; a component that names
/// nothing, or one after a leaf, is ENOENT; so is the empty name.
pub fn name_to_oid(name: &[u8]) -> Result<Vec<i32>, Error> {
    let mut rest = name.split(|&b| b == 0).next().unwrap_or(&[]);
    let mut list: &[Node] = &ROOT;
    let mut oid = Vec::new();
    while oid.len() < CTL_MAXNAME {
        let end = rest.iter().position(|&b| b == b'.').unwrap_or(rest.len());
        let component = &rest[..end];
        let node = list.iter().find(|n| n.name.as_bytes() == component).ok_or(Error::NotFound)?;
        oid.push(node.number);
        rest = &rest[end..];
        if rest.first() == Some(&b'.') {
            rest = &rest[1..];
        }
        if rest.is_empty() {
            return Ok(oid);
        }
        match node.kind {
            Kind::Dir(children) => list = children,
            _ => break,
        }
    }
    Err(Error::NotFound)
}

/// `sysctl_sysctl_name` ({0,1}): the dotted name of a number, with the
/// numbers the tree does not know (a handler's arguments, or nodes that
/// do not exist) written in decimal; NUL-terminated. An empty name is
/// the empty string.
pub fn oid_to_name(oid: &[i32]) -> Vec<u8> {
    let mut list: Option<&[Node]> = Some(&ROOT);
    let mut out = Vec::new();
    for (i, &n) in oid.iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        match list.and_then(|l| l.iter().find(|x| x.number == n)) {
            Some(node) => {
                out.extend_from_slice(node.name.as_bytes());
                list = match node.kind {
                    Kind::Dir(children) => Some(children),
                    _ => None,
                };
            }
            None => {
                out.extend_from_slice(alloc::format!("{n}").as_bytes());
                list = None;
            }
        }
    }
    out.push(0);
    out
}

fn leaves(list: &[Node], prefix: &mut Vec<i32>, out: &mut Vec<Vec<i32>>) {
    for node in list {
        prefix.push(node.number);
        match node.kind {
            Kind::Dir(children) => leaves(children, prefix, out),
            Kind::Leaf { .. } | Kind::Handler(_) => out.push(prefix.clone()),
        }
        prefix.pop();
    }
}

/// Every leaf (and handler node) in the order `sysctl -a` lists them.
pub fn all_leaves() -> Vec<Vec<i32>> {
    let mut out = Vec::new();
    leaves(&ROOT, &mut Vec::new(), &mut out);
    out
}

/// `sysctl_sysctl_next` ({0,2}): the first leaf after `oid` in
/// depth-first number order (a node's leaves come after the node);
/// ENOENT past the last.
pub fn next(oid: &[i32]) -> Result<Vec<i32>, Error> {
    all_leaves().into_iter().find(|l| l.as_slice() > oid).ok_or(Error::NotFound)
}

/// How a value of `len` bytes meets the caller's buffer (`sysctl_old_user`
/// and `userland_sysctl`): without a buffer, nothing is copied and the
/// size needed is reported; with one of `oldlen` bytes, as much as fits
/// is copied and, if that is not all, the call fails with ENOMEM and
/// reports the bytes copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub copy: usize,
    pub reported: usize,
    pub short: bool,
}

pub fn fit(len: usize, has_buffer: bool, oldlen: usize) -> Fit {
    if !has_buffer {
        Fit { copy: 0, reported: len, short: false }
    } else if len <= oldlen {
        Fit { copy: len, reported: len, short: false }
    } else {
        Fit { copy: oldlen, reported: oldlen, short: true }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use proptest::prelude::*;

    fn check_sorted(list: &[Node]) {
        assert!(list.windows(2).all(|w| w[0].number < w[1].number), "children out of order");
        for n in list {
            assert!(!n.name.is_empty() && !n.name.contains('.'));
            if let Kind::Dir(c) = n.kind {
                check_sorted(c);
            }
        }
    }

    #[test]
    fn children_are_sorted_and_named() {
        check_sorted(&ROOT);
    }

    #[test]
    fn the_fixed_numbers_are_sysctl_h_s() {
        let f = |n: &str| name_to_oid(n.as_bytes()).unwrap();
        assert_eq!(f("kern.ostype"), [1, 1]);
        assert_eq!(f("kern.osrelease"), [1, 2]);
        assert_eq!(f("kern.osrevision"), [1, 3]);
        assert_eq!(f("kern.version"), [1, 4]);
        assert_eq!(f("kern.argmax"), [1, 8]);
        assert_eq!(f("kern.hostname"), [1, 10]);
        assert_eq!(f("kern.proc.pathname"), [1, 14, 12]);
        assert_eq!(f("kern.ngroups"), [1, 18]);
        assert_eq!(f("kern.boottime"), [1, 21]);
        assert_eq!(f("kern.osreldate"), [1, 24]);
        assert_eq!(f("kern.maxfilesperproc"), [1, 27]);
        assert_eq!(f("kern.iov_max"), [1, 35]);
        assert_eq!(f("kern.arandom"), [1, 37]);
        assert_eq!(f("hw.machine"), [6, 1]);
        assert_eq!(f("hw.ncpu"), [6, 3]);
        assert_eq!(f("hw.physmem"), [6, 5]);
        assert_eq!(f("hw.pagesize"), [6, 7]);
        assert_eq!(f("hw.machine_arch"), [6, 11]);
        let smp = f("kern.smp.maxcpus");
        assert_eq!(smp.len(), 3);
        assert!(smp[1] >= 0x100 && smp[2] >= 0x100, "OID_AUTO numbers");
    }

    #[test]
    fn name2oid_follows_freebsd() {
        assert_eq!(name_to_oid(b"kern"), Ok(alloc::vec![1]));
        assert_eq!(name_to_oid(b"kern."), Ok(alloc::vec![1]), "one trailing dot is skipped");
        assert_eq!(name_to_oid(b"kern.ostype\0junk"), Ok(alloc::vec![1, 1]), "the name ends at NUL");
        assert_eq!(name_to_oid(b""), Err(Error::NotFound));
        assert_eq!(name_to_oid(b"kern..ostype"), Err(Error::NotFound));
        assert_eq!(name_to_oid(b"kern.nosuch"), Err(Error::NotFound));
        assert_eq!(name_to_oid(b"kern.conftxt"), Err(Error::NotFound));
        assert_eq!(name_to_oid(b"kern.ostype.more"), Err(Error::NotFound), "nothing lives under a leaf");
        assert_eq!(name_to_oid(b"kern.proc.pathname.-1"), Err(Error::NotFound), "the pid is a number, not a name");
        assert_eq!(name_to_oid(b"KERN.ostype"), Err(Error::NotFound), "names are case-sensitive");
    }

    #[test]
    fn find_tells_directories_leaves_and_handlers_apart() {
        assert_eq!(find(&[1, 1]), Ok(Found { leaf: Leaf::OsType, writable: false, rest: 2 }));
        assert_eq!(find(&[1, 10]), Ok(Found { leaf: Leaf::Hostname, writable: true, rest: 2 }));
        assert_eq!(find(&[1, 14, 12, -1]), Ok(Found { leaf: Leaf::ProcPathname, writable: false, rest: 3 }));
        assert_eq!(find(&[1, 14, 12]), Ok(Found { leaf: Leaf::ProcPathname, writable: false, rest: 3 }));
        assert_eq!(find(&[1, 14]), Err(Error::IsDirectory));
        assert_eq!(find(&[1]), Err(Error::IsDirectory));
        assert_eq!(find(&[1, 1, 1]), Err(Error::NotDirectory));
        assert_eq!(find(&[1, 9999]), Err(Error::NotFound));
        assert_eq!(find(&[42, 1]), Err(Error::NotFound));
        assert_eq!(find(&[]), Err(Error::NotFound));
    }

    #[test]
    fn names_come_back_with_unknown_numbers_in_decimal() {
        assert_eq!(oid_to_name(&[1, 1]), b"kern.ostype\0");
        assert_eq!(oid_to_name(&[1, 14, 12, -1]), b"kern.proc.pathname.-1\0");
        assert_eq!(oid_to_name(&[1, 9999, 3]), b"kern.9999.3\0");
        assert_eq!(oid_to_name(&[]), b"\0");
    }

    #[test]
    fn next_walks_every_leaf_in_order() {
        let all = all_leaves();
        assert_eq!(next(&[]).unwrap(), all[0]);
        assert_eq!(next(&[1]).unwrap(), [1, 1], "a node's first leaf comes after it");
        for w in all.windows(2) {
            assert_eq!(next(&w[0]).unwrap(), w[1]);
        }
        assert_eq!(next(&[1, 14, 12, -1]).unwrap(), [1, 18], "past a handler's arguments");
        assert_eq!(next(all.last().unwrap()), Err(Error::NotFound));
    }

    #[test]
    fn sizes_follow_sysctl_old_user() {
        assert_eq!(fit(8, false, 0), Fit { copy: 0, reported: 8, short: false });
        assert_eq!(fit(8, false, 2), Fit { copy: 0, reported: 8, short: false });
        assert_eq!(fit(8, true, 16), Fit { copy: 8, reported: 8, short: false });
        assert_eq!(fit(8, true, 8), Fit { copy: 8, reported: 8, short: false });
        assert_eq!(fit(8, true, 3), Fit { copy: 3, reported: 3, short: true });
        assert_eq!(fit(8, true, 0), Fit { copy: 0, reported: 0, short: true });
    }

    proptest! {
        #[test]
        fn every_leaf_s_name_and_number_agree(i in 0usize..64) {
            let all = all_leaves();
            let oid = &all[i % all.len()];
            let name = oid_to_name(oid);
            let text = String::from_utf8(name[..name.len() - 1].to_vec()).unwrap();
            prop_assert_eq!(&name_to_oid(text.as_bytes()).unwrap(), oid);
            prop_assert!(find(oid).is_ok());
        }

        #[test]
        fn random_names_never_panic_and_only_known_ones_resolve(name in "[a-z_.]{0,40}") {
            if let Ok(oid) = name_to_oid(name.as_bytes()) {
                prop_assert!(!oid.is_empty() && oid.len() <= CTL_MAXNAME);
                let back = oid_to_name(&oid);
                let trimmed = name.strip_suffix('.').unwrap_or(&name);
                prop_assert_eq!(&back[..back.len() - 1], trimmed.as_bytes());
            }
        }

        #[test]
        fn random_numbers_never_panic(oid in proptest::collection::vec(-2i32..300, 0..30)) {
            match find(&oid) {
                Ok(f) => prop_assert!(f.rest <= oid.len()),
                Err(e) => prop_assert!(matches!(e, Error::NotFound | Error::NotDirectory | Error::IsDirectory)),
            }
            let name = oid_to_name(&oid);
            prop_assert_eq!(name.iter().filter(|&&b| b == 0).count(), 1);
            if let Ok(n) = next(&oid) {
                prop_assert!(n.as_slice() > oid.as_slice());
            }
        }

        #[test]
        fn a_fit_never_copies_more_than_asked(len in 0usize..600, oldlen in 0usize..600, has in any::<bool>()) {
            let f = fit(len, has, oldlen);
            prop_assert!(f.copy <= len && (!has || f.copy <= oldlen));
            prop_assert_eq!(f.short, has && len > oldlen);
            if !has { prop_assert_eq!(f.copy, 0); }
        }
    }
}
