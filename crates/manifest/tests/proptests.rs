//! Properties: no input makes the parser panic, whatever it accepts renders
//! back to itself, and every valid manifest round-trips through its text.

use manifest::{parse, Grant, Manifest, Object, ObjectKind, Rights, Task, MAX_GRANTS, MAX_OBJECTS, MAX_TASKS};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::{select, Index};

const EXAMPLE: &[u8] = include_bytes!("../examples/boot.manifest");

/// Whatever `parse` says about `text` must be consistent: an error names a
/// line that exists (or 0 for an oversized input), and an accepted
/// manifest renders to text that parses back to it.
fn check(text: &[u8]) -> Result<(), TestCaseError> {
    match parse(text) {
        Err(e) => {
            let lines = 1 + text.iter().filter(|&&b| b == b'\n').count();
            prop_assert!(!e.message.is_empty());
            if text.len() > manifest::MAX_INPUT {
                prop_assert_eq!(e.line, 0);
            } else {
                prop_assert!((1..=lines).contains(&e.line), "line {} of {}", e.line, lines);
            }
        }
        Ok(m) => {
            prop_assert!(m.objects.len() <= MAX_OBJECTS && m.tasks.len() <= MAX_TASKS);
            prop_assert!(m.tasks.iter().all(|t| t.grants.len() <= MAX_GRANTS));
            prop_assert!(m.tasks.iter().filter(|t| t.wait).count() <= 1);
            let text = m.render();
            prop_assert_eq!(parse(text.as_bytes()), Ok(m));
        }
    }
    Ok(())
}

/// Words that make up manifests, good and bad.
const WORDS: &[&str] = &[
    "task",
    "endpoint",
    "notification",
    "image",
    "arg",
    "memory",
    "restart",
    "never",
    "after",
    "wait",
    "grant",
    "ioports",
    "irq",
    "mmio",
    "bootdir",
    "file",
    "serial",
    "vulcan",
    "a",
    "b",
    "-",
    "r",
    "rw",
    "wg",
    "rxtd",
    "rwxgtd",
    "rr",
    "0",
    "3",
    "8",
    "24",
    "100",
    "101",
    "0x2f8",
    "0x1000",
    "0xffff",
    "0x10000",
    "0xffffffffffffffff",
    "18446744073709551616",
    "a/b.elf",
    "../x",
    "/x",
    "#",
    "# comment",
    "\t",
    "  ",
    "\r",
    "é",
    "\u{0}",
];

fn line() -> impl Strategy<Value = String> {
    vec(select(WORDS), 0..7).prop_map(|words| words.join(" "))
}

fn name() -> impl Strategy<Value = String> {
    "[a-z0-9_-]{1,15}"
}

fn path() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._-]{1,8}(/[A-Za-z0-9._-]{1,8}){0,3}"
        .prop_filter("no . or .. components", |p| p.split('/').all(|c| c != "." && c != ".."))
}

fn rights() -> impl Strategy<Value = Rights> {
    (0u32..=Rights::ALL.bits()).prop_map(Rights)
}

/// A grant; object grants pick an object by index (and take its kind).
#[derive(Debug, Clone)]
enum GrantSeed {
    Object(Index, Rights),
    Other(Grant),
}

fn grant_seed() -> impl Strategy<Value = GrantSeed> {
    prop_oneof![
        2 => (any::<Index>(), rights()).prop_map(|(i, r)| GrantSeed::Object(i, r)),
        1 => (0u32..0x1_0000, any::<Index>(), rights()).prop_map(|(base, len, rights)| {
            let count = 1 + len.index((0x1_0000 - base) as usize) as u32;
            GrantSeed::Other(Grant::IoPorts { base: base as u16, count, rights })
        }),
        1 => (0u8..24).prop_map(|line| GrantSeed::Other(Grant::Irq { line })),
        1 => (0u64..(1 << 52) - 1, any::<Index>(), rights()).prop_map(|(page, len, rights)| {
            let pages = 1 + len.index(((1u64 << 52) - 1 - page) as usize) as u64;
            GrantSeed::Other(Grant::Mmio { base: page << 12, bytes: pages << 12, rights })
        }),
        1 => rights().prop_map(|rights| GrantSeed::Other(Grant::BootDir { rights })),
        1 => (path(), rights()).prop_map(|(path, rights)| GrantSeed::Other(Grant::File { path, rights })),
    ]
}

#[derive(Debug, Clone)]
struct TaskSeed {
    image: Option<String>,
    arg: u64,
    memory_pages: u64,
    restart: u32,
    after: Option<Index>,
    grants: Vec<GrantSeed>,
}

fn task_seed() -> impl Strategy<Value = TaskSeed> {
    (
        proptest::option::of(path()),
        prop_oneof![Just(0u64), any::<u64>()],
        prop_oneof![Just(0u64), any::<u64>()],
        prop_oneof![Just(0u32), 0u32..=100],
        proptest::option::of(any::<Index>()),
        vec(grant_seed(), 0..=MAX_GRANTS),
    )
        .prop_map(|(image, arg, memory_pages, restart, after, grants)| TaskSeed {
            image,
            arg,
            memory_pages,
            restart,
            after,
            grants,
        })
}

/// A manifest that obeys every rule of the format.
fn valid_manifest() -> impl Strategy<Value = Manifest> {
    (
        btree_set(name(), 0..=MAX_OBJECTS),
        vec(any::<bool>(), MAX_OBJECTS),
        btree_set(name(), 0..=MAX_TASKS).prop_map(|names| names.into_iter().collect::<Vec<_>>()).prop_shuffle(),
        vec(task_seed(), MAX_TASKS),
        proptest::option::of(any::<Index>()),
    )
        .prop_map(|(object_names, kinds, task_names, seeds, waiter)| {
            let objects: Vec<Object> = object_names
                .into_iter()
                .zip(kinds)
                .map(|(name, endpoint)| Object {
                    kind: if endpoint { ObjectKind::Endpoint } else { ObjectKind::Notification },
                    name,
                })
                .collect();
            let waiter = waiter.map(|w| w.index(task_names.len().max(1)));
            let mut tasks: Vec<Task> = Vec::new();
            for (i, (name, seed)) in task_names.into_iter().zip(seeds).enumerate() {
                let after = match seed.after {
                    Some(a) if i > 0 => Some(tasks[a.index(i)].name.clone()),
                    _ => None,
                };
                let grants = seed
                    .grants
                    .into_iter()
                    .map(|g| match g {
                        GrantSeed::Object(_, rights) if objects.is_empty() => Grant::BootDir { rights },
                        GrantSeed::Object(index, rights) => {
                            let o = index.get(&objects);
                            match o.kind {
                                ObjectKind::Endpoint => Grant::Endpoint { name: o.name.clone(), rights },
                                ObjectKind::Notification => Grant::Notification { name: o.name.clone(), rights },
                            }
                        }
                        GrantSeed::Other(g) => g,
                    })
                    .collect();
                tasks.push(Task {
                    image: seed.image.unwrap_or_else(|| name.clone()),
                    name,
                    arg: seed.arg,
                    memory_pages: seed.memory_pages,
                    restart: seed.restart,
                    after,
                    wait: waiter == Some(i),
                    grants,
                });
            }
            Manifest { objects, tasks, mounts: Vec::new() }
        })
}

/// An edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Replace(Index, u8),
    Insert(Index, u8),
    Delete(Index),
    InsertWord(Index, &'static str),
    Truncate(Index),
}

fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![any::<u8>(), select(b" \t\r\n#-0123456789xabcdefgrwtd/._".to_vec()),]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), interesting_byte()).prop_map(|(i, b)| Edit::Replace(i, b)),
        3 => (any::<Index>(), interesting_byte()).prop_map(|(i, b)| Edit::Insert(i, b)),
        3 => any::<Index>().prop_map(Edit::Delete),
        2 => (any::<Index>(), select(WORDS)).prop_map(|(i, w)| Edit::InsertWord(i, w)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(text: &mut Vec<u8>, edit: &Edit) {
    let at = |i: &Index, len: usize| i.index(len + 1);
    match edit {
        Edit::Replace(i, b) if !text.is_empty() => {
            let at = i.index(text.len());
            text[at] = *b;
        }
        Edit::Replace(..) => {}
        Edit::Insert(i, b) => text.insert(at(i, text.len()), *b),
        Edit::Delete(i) if !text.is_empty() => {
            text.remove(i.index(text.len()));
        }
        Edit::Delete(_) => {}
        Edit::InsertWord(i, w) => {
            let at = at(i, text.len());
            text.splice(at..at, w.bytes());
        }
        Edit::Truncate(i) => text.truncate(at(i, text.len())),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(text in vec(any::<u8>(), 0..1024)) {
        check(&text)?;
    }

    #[test]
    fn random_ascii_never_panics(text in "[ -~\t\r\n]{0,512}") {
        check(text.as_bytes())?;
    }

    #[test]
    fn random_word_soup_never_panics(lines in vec(line(), 0..40)) {
        check(lines.join("\n").as_bytes())?;
    }

    #[test]
    fn mutated_example_never_panics(edits in vec(edit(), 1..8)) {
        let mut text = EXAMPLE.to_vec();
        for e in &edits {
            apply(&mut text, e);
        }
        check(&text)?;
    }

    #[test]
    fn truncated_example_never_panics(at in any::<Index>()) {
        check(&EXAMPLE[..at.index(EXAMPLE.len() + 1)])?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn valid_manifest_round_trips(m in valid_manifest()) {
        let text = m.render();
        prop_assert!(text.len() <= manifest::MAX_INPUT);
        prop_assert_eq!(parse(text.as_bytes()), Ok(m.clone()));
        // Canonical text is a fixed point.
        prop_assert_eq!(parse(text.as_bytes()).map(|p| p.render()), Ok(text.clone()));
    }

    #[test]
    fn layout_and_comments_do_not_matter(
        m in valid_manifest(),
        indents in vec(select(vec!["", " ", "\t", "    ", " \t "]), 64),
        comments in vec(select(vec!["", "#", " # x", "\t#task a", "  # grant irq 99"]), 64),
        crlf in any::<bool>(),
    ) {
        let canonical = m.render();
        let mut text = String::from("# header comment\n\n");
        for (i, line) in canonical.lines().enumerate() {
            let line = line.trim_start();
            text += indents[i % indents.len()];
            text += line;
            text += comments[i % comments.len()];
            text += if crlf { "\r\n" } else { "\n" };
        }
        prop_assert_eq!(parse(text.as_bytes()), Ok(m));
    }

    #[test]
    fn truncated_valid_manifest_never_panics(m in valid_manifest(), at in any::<Index>()) {
        let text = m.render();
        check(&text.as_bytes()[..at.index(text.len() + 1)])?;
    }
}
