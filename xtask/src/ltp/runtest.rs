//! LTP's runtest files (`runtest/syscalls`): one entry a line, its name
//! then the command line that runs it (`fork06 fork_procs -n 1000`);
//! `#` starts a comment line; blank lines separate groups. And the name
//! patterns that pick a subset of the entries on the command line.

/// One runtest entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name, unique in the file (`mmap21_01`).
    pub name: String,
    /// The command line, as LTP's runner hands it to `sh -c`
    /// (`mmap21 -m 1`); its first word is the program.
    pub command: String,
}

impl Entry {
    /// The program the command line runs (its first word).
    pub fn program(&self) -> &str {
        self.command.split_whitespace().next().unwrap_or("")
    }
}

/// The entries of a runtest file, in order. Comment lines, blank lines and
/// lines with a name but no command are left out; a later entry of a name
/// already seen is left out too (names identify results).
pub fn parse(text: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, command)) = line.split_once(char::is_whitespace) else { continue };
        let command = command.split_whitespace().collect::<Vec<_>>().join(" ");
        if command.is_empty() || entries.iter().any(|e| e.name == name) {
            continue;
        }
        entries.push(Entry { name: name.to_string(), command });
    }
    entries
}

/// Whether `name` matches a shell-style pattern: `*` any run of
/// characters, `?` any one character, everything else itself.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // The classic two-pointer match with one backtrack point for the last `*`.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == n[ni])) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The entries any of `patterns` matches by name (all of them when there
/// are no patterns), in the file's order.
pub fn select<'a>(entries: &'a [Entry], patterns: &[String]) -> Vec<&'a Entry> {
    entries.iter().filter(|e| patterns.is_empty() || patterns.iter().any(|p| glob_match(p, &e.name))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "#DESCRIPTION:Kernel system calls\nabort01 abort01\n\naccept01 accept01\n  # indented comment\nfork06 fork_procs -n 1000\npipeio_1 pipeio -T pipeio_1 -c 5\t-s 4090\nlonely\nfork06 again\n";

    #[test]
    fn parses_names_and_commands() {
        let e = parse(SAMPLE);
        let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["abort01", "accept01", "fork06", "pipeio_1"]);
        assert_eq!(e[2].command, "fork_procs -n 1000");
        assert_eq!(e[2].program(), "fork_procs");
        assert_eq!(e[3].command, "pipeio -T pipeio_1 -c 5 -s 4090", "runs of blanks become one space");
    }

    #[test]
    fn globs() {
        assert!(glob_match("open*", "open01"));
        assert!(glob_match("open*", "open"));
        assert!(!glob_match("open*", "fopen01"));
        assert!(glob_match("read0?", "read02"));
        assert!(!glob_match("read0?", "read023"));
        assert!(glob_match("*_01", "mmap21_01"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("getpid01", "getpid01"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("", "x"));
    }

    #[test]
    fn selects_by_any_pattern_in_file_order() {
        let e = parse(SAMPLE);
        let s: Vec<&str> = select(&e, &["pipe*".into(), "abort01".into()]).iter().map(|e| e.name.as_str()).collect();
        assert_eq!(s, ["abort01", "pipeio_1"]);
        assert_eq!(select(&e, &[]).len(), 4);
    }

    proptest! {
        #[test]
        fn any_text_parses_into_well_formed_entries(text in "[a-z0-9_ #\t\n-]{0,400}") {
            let entries = parse(&text);
            for e in &entries {
                prop_assert!(!e.name.is_empty() && !e.name.starts_with('#'));
                prop_assert!(!e.name.contains(char::is_whitespace));
                prop_assert!(!e.command.is_empty() && e.command.trim() == e.command);
            }
            let mut names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
            names.sort();
            names.dedup();
            prop_assert_eq!(names.len(), entries.len());
        }

        #[test]
        fn truncating_a_file_keeps_a_prefix_of_its_entries(cut in 0usize..SAMPLE.len()) {
            let whole = parse(SAMPLE);
            let part = parse(&SAMPLE[..cut]);
            // Every entry but the last (which may be cut short) is an entry of the whole file, in order.
            let complete = part.len().saturating_sub(1);
            prop_assert_eq!(&part[..complete], &whole[..complete]);
            if let Some(last) = part.last() {
                let full = &whole[part.len() - 1];
                prop_assert!(full.name.starts_with(&last.name) || full.name == last.name);
            }
        }

        #[test]
        fn a_star_matches_every_name(name in "[a-z0-9_]{0,20}") {
            prop_assert!(glob_match("*", &name));
            prop_assert!(glob_match(&name, &name));
            let prefix: String = name.chars().take(3).collect();
            let pattern = format!("{}*", prefix);
            prop_assert!(glob_match(&pattern, &name));
        }
    }
}
