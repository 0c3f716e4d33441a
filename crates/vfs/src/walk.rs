//! Path resolution: from a starting directory and a path to a node.
//!
//! The rules, which follow POSIX and Linux:
//!
//! - An empty path names nothing (`NotFound`); a path of [`PATH_MAX`] bytes
//!   or more, or with a component over [`NAME_MAX`] bytes, is `NameTooLong`.
//! - An absolute path starts at the caller's root, a relative one at `start`
//!   (the working directory or a `dirfd`), which must be a directory.
//! - Repeated slashes count as one. A trailing slash makes the last
//!   component a directory: it must be one (`NotDirectory`), and a symlink
//!   there is followed.
//! - Looking a name up needs search permission on the directory it is in,
//!   for every component including `.`, `..` and the last.
//! - `.` stays; `..` goes to the parent, except at the caller's root, where
//!   it stays; from the root of a mounted file system it goes to the parent
//!   of the directory the mount covers.
//! - Reaching a directory that a file system is mounted on lands on the root
//!   of the topmost mount there.
//! - A symlink is followed when more components come after it, when a
//!   trailing slash follows it, or when it is last and the caller asks. An
//!   absolute target restarts at the caller's root, a relative one at the
//!   directory holding the link. At most [`MAX_SYMLINKS`] links are
//!   followed in one resolution (`Loop`).
//! - A non-final component that is not a directory is `NotDirectory`.

use alloc::vec::Vec;

use crate::mount::Mounts;
use crate::name::{is_dot, is_dotdot, MAX_SYMLINKS, NAME_MAX, PATH_MAX};
use crate::permission::check_access;
use crate::{Access, Credentials, Error, Locking, Metadata, NodeRef, Vfs};

/// The last component of a path, as `resolve_parent` found it. `.`, `..`
/// and a path of slashes alone are reported, not resolved, so that each
/// system call can refuse them its own way (`mkdir("..")` exists, `rmdir`
/// of `.` is invalid, `rename` of either is busy...).
#[derive(Clone, Eq, PartialEq, Debug)]
pub enum LastComponent {
    /// An ordinary name (never empty, at most [`NAME_MAX`] bytes, no `/`).
    Name(Vec<u8>),
    Dot,
    DotDot,
    /// The path was only slashes: it names the root.
    Root,
}

/// Where the last component of a path would live.
#[derive(Clone, Eq, PartialEq, Debug)]
pub struct ParentLookup {
    /// The directory the last component is (or would be) in. For
    /// [`LastComponent::Root`], the caller's root.
    pub dir: NodeRef,
    pub last: LastComponent,
    /// The path ended with `/`: the last component must be a directory.
    pub trailing_slash: bool,
}

/// What a path names when the caller may create its last component
/// (`open` with `O_CREAT`).
#[derive(Clone, Eq, PartialEq, Debug)]
pub enum CreateLookup {
    /// The path names this node.
    Exists(NodeRef),
    /// Everything up to the last component exists, but not that: it can be
    /// created as `name` in `dir`. When the path ended in a symlink that
    /// was followed, this is where its target would be.
    Missing { dir: NodeRef, name: Vec<u8>, trailing_slash: bool },
}

/// What `resolve_located` found: the node, and where its last name was
/// looked up (None when the path ended in `.`, `..` or slashes alone: a
/// directory reached without a name).
#[derive(Clone, Eq, PartialEq, Debug)]
pub struct Located {
    pub node: NodeRef,
    pub entry: Option<(NodeRef, Vec<u8>)>,
}

/// Restrictions on a walk (Linux's openat2 `RESOLVE_*` flags). The
/// default restricts nothing.
#[derive(Copy, Clone, Eq, PartialEq, Debug, Default)]
pub struct WalkRules {
    /// Never leave the file system the walk starts on: entering or leaving
    /// a mount, or restarting at a root on another one, is `CrossDevice`.
    pub no_xdev: bool,
    /// Following any symlink is `Loop`.
    pub no_symlinks: bool,
    /// Following a magic link is `Loop`. A magic link is a symlink on the
    /// file system of type `magic_fs` ("proc") whose target is absolute or names
    /// no path at all (`pipe:[7]`): /proc/<pid>/fd/N, exe, cwd, root. Its
    /// relative links (/proc/self, /proc/mounts) are ordinary.
    pub no_magic_links: bool,
    pub magic_fs: Option<&'static str>,
    /// Stay beneath the starting directory: an absolute path or symlink,
    /// or `..` from the starting directory, is `CrossDevice`.
    pub beneath: bool,
}

impl WalkRules {
    fn is_magic<L: Locking>(&self, vfs: &Vfs<L>, link: NodeRef, target: &[u8]) -> bool {
        let on_magic_fs = self.magic_fs.is_some_and(|kind| vfs.fs(link.fs).is_ok_and(|fs| fs.lock().name() == kind));
        on_magic_fs && (target.first() == Some(&b'/') || target.contains(&b':'))
    }
}

#[derive(Copy, Clone, Eq, PartialEq)]
enum Goal {
    Node {
        follow_last: bool,
    },
    /// As `Node`, also saying where the last name was found.
    Located {
        follow_last: bool,
    },
    Parent,
    Create {
        follow_last: bool,
    },
}

impl Goal {
    fn follows_last(self) -> bool {
        match self {
            Goal::Node { follow_last } | Goal::Located { follow_last } | Goal::Create { follow_last } => follow_last,
            Goal::Parent => false,
        }
    }
}

enum Walked {
    Node(NodeRef),
    Located(Located),
    Parent(ParentLookup),
    Missing(CreateLookup),
}

impl<L: Locking> Vfs<L> {
    /// The node `path` names, starting at `start` for a relative path and at
    /// `root` (the caller's root directory) for an absolute one. A final
    /// symlink is followed only if `follow_last` is set (or the path has a
    /// trailing slash).
    pub fn resolve(
        &self,
        start: NodeRef,
        root: NodeRef,
        path: &[u8],
        follow_last: bool,
        creds: &Credentials,
    ) -> Result<NodeRef, Error> {
        match self.walk(start, root, path, creds, Goal::Node { follow_last })? {
            Walked::Node(node) => Ok(node),
            _ => Err(Error::NotFound),
        }
    }

    /// As [`Vfs::resolve`], with the directory the node was found in and
    /// the name it was found by, after any symlinks (what `open` records
    /// as the path a file was opened by), in one walk.
    pub fn resolve_located(
        &self,
        start: NodeRef,
        root: NodeRef,
        path: &[u8],
        follow_last: bool,
        creds: &Credentials,
    ) -> Result<Located, Error> {
        match self.walk(start, root, path, creds, Goal::Located { follow_last })? {
            Walked::Located(found) => Ok(found),
            Walked::Node(node) => Ok(Located { node, entry: None }),
            _ => Err(Error::NotFound),
        }
    }

    /// The directory holding the last component of `path`, and that
    /// component, which is not looked up. Every symlink before it is
    /// followed; the caller needs search permission on the directory.
    pub fn resolve_parent(
        &self,
        start: NodeRef,
        root: NodeRef,
        path: &[u8],
        creds: &Credentials,
    ) -> Result<ParentLookup, Error> {
        match self.walk(start, root, path, creds, Goal::Parent)? {
            Walked::Parent(parent) => Ok(parent),
            _ => Err(Error::NotFound),
        }
    }

    /// Like [`Vfs::resolve`], but a missing last component is an answer
    /// rather than an error. With `follow_last`, a final symlink whose
    /// target is missing gives the target's place.
    pub fn resolve_for_create(
        &self,
        start: NodeRef,
        root: NodeRef,
        path: &[u8],
        follow_last: bool,
        creds: &Credentials,
    ) -> Result<CreateLookup, Error> {
        match self.walk(start, root, path, creds, Goal::Create { follow_last })? {
            Walked::Node(node) => Ok(CreateLookup::Exists(node)),
            Walked::Missing(missing) => Ok(missing),
            Walked::Parent(_) | Walked::Located(_) => Err(Error::NotFound),
        }
    }

    /// Whether `path` can be walked under `rules` (openat2): Ok with the
    /// node it names, or None when only its last component is missing
    /// (the caller may create it); the rules' errors otherwise. `root` is
    /// where absolute paths start (the starting directory itself for
    /// RESOLVE_IN_ROOT).
    pub fn resolve_with_rules(
        &self,
        start: NodeRef,
        root: NodeRef,
        path: &[u8],
        follow_last: bool,
        creds: &Credentials,
        rules: &WalkRules,
    ) -> Result<Option<NodeRef>, Error> {
        match self.walk_with(start, root, path, creds, Goal::Create { follow_last }, rules)? {
            Walked::Node(node) => Ok(Some(node)),
            _ => Ok(None),
        }
    }

    fn walk(
        &self,
        start: NodeRef,
        root: NodeRef,
        path: &[u8],
        creds: &Credentials,
        goal: Goal,
    ) -> Result<Walked, Error> {
        self.walk_with(start, root, path, creds, goal, &WalkRules::default())
    }

    fn walk_with(
        &self,
        start: NodeRef,
        root: NodeRef,
        path: &[u8],
        creds: &Credentials,
        goal: Goal,
        rules: &WalkRules,
    ) -> Result<Walked, Error> {
        if path.is_empty() {
            return Err(Error::NotFound);
        }
        if path.len() >= PATH_MAX {
            return Err(Error::NameTooLong);
        }
        // What is left to walk. Following a symlink replaces the component
        // just read by the link's target.
        // The mount table the walk started with: mounts made or removed
        // meanwhile are not seen by this walk, which takes no lock across
        // its lookups.
        let mounts = self.mount_table();
        let mut pending: Vec<u8> = path.to_vec();
        let mut pos = 0;
        let mut links_followed = 0;
        // Jumping to the root: leaves the start for `beneath`, and another
        // file system for `no_xdev`.
        let jump_to_root = |from: NodeRef| -> Result<(), Error> {
            if rules.beneath || (rules.no_xdev && root.fs != from.fs) {
                return Err(Error::CrossDevice);
            }
            Ok(())
        };
        let mut dir = if pending[0] == b'/' {
            jump_to_root(start)?;
            root
        } else {
            start
        };
        let mut dir_meta = self.directory_metadata(dir)?;

        loop {
            while pending.get(pos) == Some(&b'/') {
                pos += 1;
            }
            if pos == pending.len() {
                // Only slashes were left: the path names the directory
                // reached, which is the root for a path like "/".
                return Ok(match goal {
                    Goal::Parent => {
                        Walked::Parent(ParentLookup { dir, last: LastComponent::Root, trailing_slash: false })
                    }
                    _ => Walked::Node(dir),
                });
            }
            let begin = pos;
            while pos < pending.len() && pending[pos] != b'/' {
                pos += 1;
            }
            let end = pos;
            let rest = &pending[end..];
            let is_last = rest.iter().all(|&b| b == b'/');
            let trailing_slash = is_last && !rest.is_empty();
            let name = &pending[begin..end];

            check_access(&dir_meta, creds, Access::EXECUTE)?;
            if name.len() > NAME_MAX {
                return Err(Error::NameTooLong);
            }

            if is_last && goal == Goal::Parent {
                let last = if is_dot(name) {
                    LastComponent::Dot
                } else if is_dotdot(name) {
                    LastComponent::DotDot
                } else {
                    LastComponent::Name(name.to_vec())
                };
                return Ok(Walked::Parent(ParentLookup { dir, last, trailing_slash }));
            }

            let next = if is_dot(name) {
                dir
            } else if is_dotdot(name) {
                if rules.beneath && dir == start {
                    return Err(Error::CrossDevice);
                }
                self.parent_in(&mounts, dir, root)?
            } else {
                match self.lookup_entry(dir, name) {
                    Ok(child) => mounts.follow_mounts(child),
                    Err(Error::NotFound) if is_last && matches!(goal, Goal::Create { .. }) => {
                        return Ok(Walked::Missing(CreateLookup::Missing { dir, name: name.to_vec(), trailing_slash }));
                    }
                    Err(e) => return Err(e),
                }
            };
            if rules.no_xdev && next.fs != dir.fs {
                return Err(Error::CrossDevice);
            }
            let next_meta = self.metadata(next)?;

            if next_meta.file_type.is_symlink() && (!is_last || trailing_slash || goal.follows_last()) {
                links_followed += 1;
                if links_followed > MAX_SYMLINKS || rules.no_symlinks {
                    return Err(Error::Loop);
                }
                let mut target = self.fs(next.fs)?.lock().readlink(next.ino)?;
                if rules.no_magic_links && rules.is_magic(self, next, &target) {
                    return Err(Error::Loop);
                }
                if target.is_empty() {
                    return Err(Error::NotFound);
                }
                if target.len() >= PATH_MAX {
                    // Only a file system that does not check targets at
                    // creation could hold one; refuse rather than grow.
                    return Err(Error::NameTooLong);
                }
                target.extend_from_slice(&pending[end..]);
                pending = target;
                pos = 0;
                if pending[0] == b'/' {
                    jump_to_root(dir)?;
                    dir = root;
                    dir_meta = self.directory_metadata(root)?;
                }
                continue;
            }

            if is_last {
                if trailing_slash && !next_meta.is_dir() {
                    return Err(Error::NotDirectory);
                }
                if matches!(goal, Goal::Located { .. }) && !is_dot(name) && !is_dotdot(name) {
                    return Ok(Walked::Located(Located { node: next, entry: Some((dir, name.to_vec())) }));
                }
                return Ok(Walked::Node(next));
            }
            if !next_meta.is_dir() {
                return Err(Error::NotDirectory);
            }
            dir = next;
            dir_meta = next_meta;
        }
    }

    fn directory_metadata(&self, node: NodeRef) -> Result<Metadata, Error> {
        let meta = self.metadata(node)?;
        if !meta.is_dir() {
            return Err(Error::NotDirectory);
        }
        Ok(meta)
    }

    /// Where `..` leads from the directory `dir` for a caller whose root is
    /// `root`.
    /// `mounts` is the table the walk started with.
    fn parent_in(&self, mounts: &Mounts, dir: NodeRef, root: NodeRef) -> Result<NodeRef, Error> {
        let mut node = dir;
        // Climbing out of a mount moves to the directory it covers, which
        // may itself be the root of a mount below; there are finitely many.
        for _ in 0..=mounts.len() {
            if node == root {
                return Ok(node);
            }
            let fs = self.fs(node.fs)?;
            if node.ino != fs.root() {
                let parent = fs.lock().lookup(node.ino, b"..")?;
                return Ok(mounts.follow_mounts(NodeRef::new(node.fs, parent)));
            }
            match mounts.mount_point_of(node.fs) {
                Some(point) => node = point,
                // The root of the whole namespace (or of a file system that
                // is not mounted): `..` stays.
                None => return Ok(node),
            }
        }
        Ok(node)
    }
}
