//! The queue and the mark rules against plain reference models, over
//! random sequences of marks and events.

use fanotify::bits::*;
use fanotify::marks::{apply, reported, IgnoreStyle, MarkChange};
use fanotify::queue::{Pushed, MAX_MERGE};
use fanotify::{Mark, MarkKind, Object, Queue, Queued};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct File(u8);

impl Object for File {
    fn key(&self) -> u64 {
        u64::from(self.0 % 4) // collisions on purpose: `same` must decide
    }
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

/// The queue as the rules say it, done the slow way.
struct ModelQueue {
    events: Vec<Queued<File>>,
    limit: Option<usize>,
}

impl ModelQueue {
    fn push(&mut self, e: Queued<File>) -> bool {
        if self.limit.is_some_and(|l| self.events.len() >= l) {
            if !self.events.iter().any(|q| q.is_overflow()) {
                self.events.push(Queued { mask: FAN_Q_OVERFLOW, pid: 0, object: None, permission: false });
            }
            return false;
        }
        if !e.permission {
            let o = e.object.unwrap();
            let candidates = self
                .events
                .iter_mut()
                .rev()
                .filter(|q| !q.permission && q.pid == e.pid && q.object.is_some_and(|x| x.key() == o.key()));
            for q in candidates.take(MAX_MERGE) {
                if q.object == Some(o) {
                    q.mask |= e.mask;
                    return true;
                }
            }
        }
        self.events.push(e);
        true
    }
}

#[derive(Debug, Clone)]
enum Op {
    Push { mask: u32, pid: i32, file: u8, permission: bool },
    Pop,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (prop::sample::select(vec![FAN_OPEN, FAN_ACCESS, FAN_MODIFY, FAN_CLOSE_WRITE, FAN_CLOSE_NOWRITE]), 1..3i32, 0..8u8, prop::bool::weighted(0.1))
            .prop_map(|(mask, pid, file, permission)| Op::Push { mask, pid, file, permission }),
        1 => Just(Op::Pop),
    ]
}

const EVENTS: [u32; 7] =
    [FAN_OPEN, FAN_ACCESS, FAN_MODIFY, FAN_CLOSE_WRITE, FAN_CLOSE_NOWRITE, FAN_OPEN_PERM, FAN_ACCESS_PERM];

fn change() -> impl Strategy<Value = MarkChange> {
    (
        any::<bool>(),
        prop::sample::subsequence(EVENTS.to_vec(), 1..3),
        any::<bool>(),
        any::<bool>(),
        0..3u8,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(add, events, ondir, on_child, ignore, survive_modify, on_directory)| MarkChange {
            add,
            mask: events.iter().fold(0, |m, e| m | e)
                | if ondir { FAN_ONDIR } else { 0 }
                | if on_child { FAN_EVENT_ON_CHILD } else { 0 },
            ignore: [None, Some(IgnoreStyle::Legacy), Some(IgnoreStyle::WithFlags)][ignore as usize],
            survive_modify,
            on_directory,
        })
}

fn kind() -> impl Strategy<Value = MarkKind> {
    prop::sample::select(vec![MarkKind::Inode, MarkKind::Parent, MarkKind::Mount, MarkKind::Filesystem])
}

proptest! {
    #[test]
    fn queue_matches_model(limit in prop::option::of(1..40usize), ops in prop::collection::vec(op(), 0..300)) {
        let mut q = Queue::new(limit);
        let mut model = ModelQueue { events: Vec::new(), limit };
        for op in ops {
            match op {
                Op::Push { mask, pid, file, permission } => {
                    let e = Queued { mask, pid, object: Some(File(file)), permission };
                    let kept = model.push(e.clone());
                    let pushed = q.push(e.clone());
                    prop_assert_eq!(kept, !matches!(pushed, Pushed::Lost(_)));
                    if let Pushed::Lost(lost) = pushed {
                        prop_assert_eq!(lost, e);
                    }
                }
                Op::Pop => {
                    let expected = if model.events.is_empty() { None } else { Some(model.events.remove(0)) };
                    prop_assert_eq!(q.pop(), expected);
                }
            }
            prop_assert_eq!(q.len(), model.events.len());
            if let Some(l) = limit {
                prop_assert!(q.len() <= l + 1);
            }
            prop_assert!(q.iter().filter(|e| e.is_overflow()).count() <= 1);
        }
    }

    /// Random marks on the objects an event meets, changed by random
    /// fanotify_mark calls: what is reported obeys the rules.
    #[test]
    fn reported_events_obey_the_marks(
        changes in prop::collection::vec((0..4usize, change()), 0..20),
        kinds in prop::collection::vec(kind(), 4),
        event in prop::sample::select(EVENTS.to_vec()),
        is_dir in any::<bool>(),
    ) {
        let mut marks: [Option<Mark>; 4] = [None; 4];
        for (slot, c) in changes {
            let before = marks[slot];
            match apply(before, c) {
                Ok(after) => {
                    if let Some(m) = after {
                        prop_assert!(!m.is_empty());
                        if !c.on_directory && c.add && c.ignore.is_none() {
                            prop_assert_eq!(m.mask & FAN_EVENT_ON_CHILD, before.map_or(0, |b| b.mask & FAN_EVENT_ON_CHILD));
                        }
                    }
                    if !c.add && c.mask & ALL_EVENTS != 0 {
                        if let Some(m) = after {
                            let left = if c.ignore.is_some() { m.ignore } else { m.mask };
                            prop_assert_eq!(left & c.mask & ALL_EVENTS, 0);
                        }
                    }
                    marks[slot] = after;
                }
                Err(_) => prop_assert!(!c.add && before.is_none() || c.add && c.ignore.is_some() && before.is_some()),
            }
        }
        let consulted: Vec<(MarkKind, Mark)> = kinds.iter().zip(marks.iter()).filter_map(|(k, m)| m.map(|m| (*k, m))).collect();
        let got = reported(&consulted, event, is_dir);
        prop_assert_eq!(got & !event, 0);
        if got != 0 {
            // Some mark that applies wants it...
            prop_assert!(consulted.iter().any(|(k, m)| m.mask & event != 0
                && (!is_dir || m.mask & FAN_ONDIR != 0)
                && (*k != MarkKind::Parent || m.mask & FAN_EVENT_ON_CHILD != 0)));
            // ...and no ignore mask on the file itself (not a directory) holds it.
            if !is_dir {
                prop_assert!(!consulted.iter().any(|(k, m)| *k != MarkKind::Parent && m.ignore & event != 0));
            }
        }
        // A lone mark wanting the event on a file reports it.
        let lone = [(MarkKind::Inode, Mark { mask: event, ..Mark::default() })];
        prop_assert_eq!(reported(&lone, event, false), event);
    }
}
