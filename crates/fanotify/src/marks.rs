//! Marks: what a group wants to hear about one object, and which of them
//! let an event through.
//!
//! An event about a file consults, for each group, the group's marks on
//! the file itself, on its directory (as the parent: only a mark that
//! watches children counts, `FAN_EVENT_ON_CHILD`), on its mount and on
//! its file system, all together: the union of the wanted events that
//! apply, less the union of the ignore masks that apply. Linux's
//! fanotify_group_event_mask and fsnotify_effective_ignore_mask.

use crate::bits::*;

/// Which object a mark is on, as an event meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// The file or directory the event is about.
    Inode,
    /// The directory of the file the event is about.
    Parent,
    Mount,
    Filesystem,
}

/// One group's mark on one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// Events wanted, with FAN_ONDIR (directories too) and
    /// FAN_EVENT_ON_CHILD (the entries of a marked directory too).
    pub mask: u32,
    /// Events not wanted, whatever another mark says.
    pub ignore: u32,
    /// The ignore mask was set with FAN_MARK_IGNORE: its FAN_ONDIR and
    /// FAN_EVENT_ON_CHILD say where it applies. Otherwise (the older
    /// FAN_MARK_IGNORED_MASK) it applies to directories and children too.
    pub ignore_has_flags: bool,
    /// The ignore mask stays when the file is modified (otherwise any
    /// FAN_MODIFY seen by the mark clears it).
    pub ignore_survives_modify: bool,
}

/// Whether a mask with these flags speaks for this event.
fn applicable(mask: u32, is_dir: bool, kind: MarkKind) -> bool {
    !(is_dir && mask & FAN_ONDIR == 0) && !(kind == MarkKind::Parent && mask & FAN_EVENT_ON_CHILD == 0)
}

impl Mark {
    /// The ignore mask with the flags it counts as having.
    fn ignore_with_flags(&self) -> u32 {
        if self.ignore_has_flags {
            self.ignore
        } else {
            self.ignore | FAN_ONDIR | FAN_EVENT_ON_CHILD
        }
    }

    /// The events this mark ignores for an event on a directory or not,
    /// met as `kind`.
    pub fn effective_ignore(&self, is_dir: bool, kind: MarkKind) -> u32 {
        if self.ignore == 0 {
            return 0;
        }
        if !is_dir && kind != MarkKind::Parent {
            return self.ignore;
        }
        let ignore = self.ignore_with_flags();
        if !applicable(ignore, is_dir, kind) {
            return 0;
        }
        ignore & ALL_EVENTS
    }

    /// Whether a directory's mark hears about the directory's entries at
    /// all (its wanted mask or its ignore mask watch children).
    pub fn watches_children(&self) -> bool {
        (self.mask | if self.ignore != 0 { self.ignore_with_flags() } else { 0 }) & FAN_EVENT_ON_CHILD != 0
    }

    /// The object was modified and this mark heard it: an ignore mask
    /// that does not survive that is cleared (fsnotify's send_to_group).
    pub fn saw_modify(&mut self) {
        if !self.ignore_survives_modify {
            self.ignore = 0;
        }
    }

    /// Whether the mark is worth keeping (it still wants or ignores
    /// something, if only FAN_ONDIR).
    pub fn is_empty(&self) -> bool {
        self.mask == 0 && self.ignore == 0
    }
}

/// The events of `event` (one or more event bits) about a directory or
/// not that reach the group whose marks on the objects involved are
/// `consulted`; 0 for none. FAN_ONDIR and FAN_EVENT_ON_CHILD are never
/// reported (a group that reports file ids would, and there is none).
pub fn reported(consulted: &[(MarkKind, Mark)], event: u32, is_dir: bool) -> u32 {
    let mut wanted = 0;
    let mut ignored = 0;
    for (kind, mark) in consulted {
        if *kind == MarkKind::Parent && !mark.watches_children() {
            continue;
        }
        ignored |= mark.effective_ignore(is_dir, *kind);
        if applicable(mark.mask, is_dir, *kind) {
            wanted |= mark.mask;
        }
    }
    event & wanted & !ignored & OUTGOING_EVENTS
}

/// Which marks of `consulted` take part in the event (the parent only
/// when it watches children): those whose ignore mask a FAN_MODIFY clears.
pub fn takes_part(kind: MarkKind, mark: &Mark) -> bool {
    kind != MarkKind::Parent || mark.watches_children()
}

/// How fanotify_mark changes one mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkChange {
    /// FAN_MARK_ADD (else FAN_MARK_REMOVE).
    pub add: bool,
    /// The events and flags given.
    pub mask: u32,
    /// FAN_MARK_IGNORED_MASK or FAN_MARK_IGNORE (at most one).
    pub ignore: Option<IgnoreStyle>,
    /// FAN_MARK_IGNORED_SURV_MODIFY.
    pub survive_modify: bool,
    /// The mark is on a directory's inode (FAN_EVENT_ON_CHILD means
    /// nothing on a file, a mount or a file system).
    pub on_directory: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoreStyle {
    /// FAN_MARK_IGNORED_MASK: the mask's event flags are dropped.
    Legacy,
    /// FAN_MARK_IGNORE: the flags say where it applies.
    WithFlags,
}

/// Why a change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeError {
    /// Removing from a mark that does not exist (ENOENT).
    NoMark,
    /// The change would turn the mark's ignore rules back to older ones
    /// (EEXIST).
    Downgrade,
}

/// The mark after `change`; None when it is gone (or never was).
pub fn apply(existing: Option<Mark>, change: MarkChange) -> Result<Option<Mark>, ChangeError> {
    let mut mask = change.mask;
    let mut unused = 0;
    if change.ignore == Some(IgnoreStyle::Legacy) {
        mask &= !EVENT_FLAGS;
        unused |= EVENT_FLAGS;
    }
    if !change.on_directory {
        mask &= !FAN_EVENT_ON_CHILD;
        unused |= FAN_EVENT_ON_CHILD;
    }
    if !change.add {
        let Some(mut mark) = existing else { return Err(ChangeError::NoMark) };
        if change.ignore.is_some() {
            mark.ignore &= !mask;
        } else {
            mark.mask &= !mask;
        }
        // Kept while anything but the bits that mean nothing here is left.
        return Ok(if (mark.mask | mark.ignore) & !unused == 0 { None } else { Some(mark) });
    }
    let mut mark = match existing {
        Some(m) => {
            if change.ignore == Some(IgnoreStyle::Legacy) && m.ignore_has_flags {
                return Err(ChangeError::Downgrade);
            }
            if change.ignore == Some(IgnoreStyle::WithFlags) && !change.survive_modify && m.ignore_survives_modify {
                return Err(ChangeError::Downgrade);
            }
            m
        }
        None => Mark::default(),
    };
    match change.ignore {
        None => mark.mask |= mask,
        Some(style) => {
            mark.ignore |= mask;
            if style == IgnoreStyle::WithFlags {
                mark.ignore_has_flags = true;
            }
            if change.survive_modify {
                mark.ignore_survives_modify = true;
            }
        }
    }
    Ok(Some(mark))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(mask: u32) -> Mark {
        Mark { mask, ..Mark::default() }
    }

    #[test]
    fn inode_mark_reports_its_events_only() {
        let marks = [(MarkKind::Inode, m(FAN_OPEN | FAN_CLOSE_WRITE))];
        assert_eq!(reported(&marks, FAN_OPEN, false), FAN_OPEN);
        assert_eq!(reported(&marks, FAN_ACCESS, false), 0);
        // A directory needs FAN_ONDIR.
        assert_eq!(reported(&marks, FAN_OPEN, true), 0);
        let marks = [(MarkKind::Inode, m(FAN_OPEN | FAN_ONDIR))];
        assert_eq!(reported(&marks, FAN_OPEN, true), FAN_OPEN);
    }

    #[test]
    fn parent_needs_event_on_child() {
        assert_eq!(reported(&[(MarkKind::Parent, m(FAN_OPEN))], FAN_OPEN, false), 0);
        assert_eq!(reported(&[(MarkKind::Parent, m(FAN_OPEN | FAN_EVENT_ON_CHILD))], FAN_OPEN, false), FAN_OPEN);
    }

    #[test]
    fn legacy_ignore_mask_applies_to_children_and_directories() {
        let mount = (MarkKind::Mount, m(FAN_OPEN | FAN_ONDIR));
        let parent = (MarkKind::Parent, Mark { ignore: FAN_OPEN, ..Mark::default() });
        assert_eq!(reported(&[mount, parent], FAN_OPEN, false), 0);
        let dir = (MarkKind::Inode, Mark { ignore: FAN_OPEN, ..Mark::default() });
        assert_eq!(reported(&[mount, dir], FAN_OPEN, true), 0);
        // With FAN_MARK_IGNORE, only where its flags say.
        let parent = (MarkKind::Parent, Mark { ignore: FAN_OPEN, ignore_has_flags: true, ..Mark::default() });
        assert_eq!(reported(&[mount, parent], FAN_OPEN, false), FAN_OPEN);
        let dir = (MarkKind::Inode, Mark { ignore: FAN_OPEN, ignore_has_flags: true, ..Mark::default() });
        assert_eq!(reported(&[mount, dir], FAN_OPEN, true), FAN_OPEN);
    }

    #[test]
    fn remove_keeps_a_mark_until_only_unused_bits_remain() {
        let add = MarkChange {
            add: true,
            mask: FAN_OPEN | FAN_EVENT_ON_CHILD,
            ignore: None,
            survive_modify: false,
            on_directory: false,
        };
        let mark = apply(None, add).unwrap().unwrap();
        assert_eq!(mark.mask, FAN_OPEN);
        let remove = MarkChange { add: false, mask: FAN_OPEN, ..add };
        assert_eq!(apply(Some(mark), remove), Ok(None));
        assert_eq!(apply(None, remove), Err(ChangeError::NoMark));
    }

    #[test]
    fn ignore_style_cannot_be_downgraded() {
        let new = MarkChange {
            add: true,
            mask: FAN_OPEN,
            ignore: Some(IgnoreStyle::WithFlags),
            survive_modify: true,
            on_directory: false,
        };
        let mark = apply(None, new).unwrap();
        let old = MarkChange { ignore: Some(IgnoreStyle::Legacy), ..new };
        assert_eq!(apply(mark, old), Err(ChangeError::Downgrade));
        let not_surviving = MarkChange { survive_modify: false, ..new };
        assert_eq!(apply(mark, not_surviving), Err(ChangeError::Downgrade));
    }
}
