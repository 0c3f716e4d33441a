//! The lock order is written down twice: as the kernel's `Rank` enum
//! (`kernel/src/sync/lock_order.rs`, what the `lock-order` check enforces)
//! and as ARCHITECTURE.md's "Lock order" table (rank, class, what it
//! protects, what may be taken under it), for people. `cargo xtask lint`
//! fails when they disagree: the same classes with the same ranks in the
//! same order, every row saying what it protects, and every class named in
//! a row's "may be taken under it" column ranked below that row (a lock
//! may only be taken under locks of lower rank).

use std::path::Path;

pub const SOURCE: &str = "kernel/src/sync/lock_order.rs";
pub const DOC: &str = "ARCHITECTURE.md";
const HEADING: &str = "## Lock order";

/// One row of the documented table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub rank: u32,
    pub class: String,
    pub protects: String,
    /// Classes that may be taken while one of this class is held.
    pub under: Vec<String>,
}

/// The `ranks! { ... }` list of the kernel source: (rank, class) in order.
pub fn parse_source(src: &str) -> Result<Vec<(u32, String)>, String> {
    let start = src.find("\nranks! {").ok_or("no `ranks! {` list")?;
    let body = &src[start + "\nranks! {".len()..];
    let end = body.find("\n}").ok_or("the `ranks!` list does not end")?;
    let mut out = Vec::new();
    for line in body[..end].lines().map(str::trim) {
        if line.is_empty() || line.starts_with("///") || line.starts_with("//") {
            continue;
        }
        let entry = line.strip_suffix(',').ok_or_else(|| format!("unexpected line in `ranks!`: {line}"))?;
        let (name, rank) = entry.split_once('=').ok_or_else(|| format!("not `Class = rank,`: {line}"))?;
        let rank = rank.trim().parse().map_err(|_| format!("bad rank in `{line}`"))?;
        out.push((rank, name.trim().to_string()));
    }
    if out.is_empty() {
        return Err("the `ranks!` list is empty".into());
    }
    Ok(out)
}

/// The table under "## Lock order" in ARCHITECTURE.md.
pub fn parse_doc(md: &str) -> Result<Vec<Row>, String> {
    let start = md.find(&format!("\n{HEADING}\n")).ok_or_else(|| format!("no `{HEADING}` section"))?;
    let section = &md[start + HEADING.len() + 2..];
    let section = section.find("\n## ").map_or(section, |end| &section[..end]);
    let mut rows = Vec::new();
    let mut header_seen = false;
    for line in section.lines().map(str::trim).filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if !header_seen {
            header_seen = true;
            if cells.len() != 4 || !cells[0].eq_ignore_ascii_case("rank") {
                return Err(format!(
                    "the table's header should be `| Rank | Class | Protects | May be taken under it |`, not `{line}`"
                ));
            }
            continue;
        }
        if cells.iter().all(|c| c.chars().all(|ch| ch == '-' || ch == ':')) {
            continue; // the separator
        }
        if cells.len() != 4 {
            return Err(format!("a row needs 4 cells: `{line}`"));
        }
        let rank = cells[0].parse().map_err(|_| format!("bad rank `{}` in `{line}`", cells[0]))?;
        let class = cells[1].trim_matches('`').to_string();
        // `A`, `B` (a remark), ...: each item's first backticked word.
        let under = match cells[3] {
            "" | "-" | "nothing" => Vec::new(),
            list => list
                .split(',')
                .map(|item| {
                    let mut quoted = item.split('`');
                    match (quoted.next(), quoted.next()) {
                        (Some(before), Some(class)) if before.trim().is_empty() => Ok(class.to_string()),
                        _ => Err(format!(
                            "`{}`: each item of `{}` should start with a backticked class",
                            item.trim(),
                            cells[3]
                        )),
                    }
                })
                .collect::<Result<_, _>>()?,
        };
        rows.push(Row { rank, class, protects: cells[2].to_string(), under });
    }
    if rows.is_empty() {
        return Err(format!("the `{HEADING}` section has no table rows"));
    }
    Ok(rows)
}

/// Every disagreement between the source's list and the document's table.
pub fn compare(source: &[(u32, String)], rows: &[Row]) -> Vec<String> {
    let mut problems = Vec::new();
    for pair in source.windows(2) {
        if pair[1].0 <= pair[0].0 {
            problems.push(format!("{SOURCE}: ranks do not increase at {} = {}", pair[1].1, pair[1].0));
        }
    }
    let documented: Vec<(u32, String)> = rows.iter().map(|r| (r.rank, r.class.clone())).collect();
    for (rank, class) in source {
        if !documented.contains(&(*rank, class.clone())) {
            problems.push(format!("{DOC}: no row `| {rank} | {class} |` (it is in {SOURCE})"));
        }
    }
    for (rank, class) in &documented {
        if !source.contains(&(*rank, class.clone())) {
            problems.push(format!("{DOC}: row `| {rank} | {class} |` is not in {SOURCE}"));
        }
    }
    if problems.is_empty() && documented != source {
        problems.push(format!("{DOC}: the rows are not in rank order"));
    }
    for row in rows {
        if row.protects.is_empty() {
            problems.push(format!("{DOC}: class {} does not say what it protects", row.class));
        }
        for inner in &row.under {
            match source.iter().find(|(_, c)| c == inner) {
                None => problems.push(format!("{DOC}: {} names `{inner}`, which is no class", row.class)),
                Some((rank, _)) if *rank <= row.rank => problems.push(format!(
                    "{DOC}: {} (rank {}) lists {inner} (rank {rank}) as taken under it: only higher ranks may be",
                    row.class, row.rank
                )),
                Some(_) => {}
            }
        }
    }
    problems
}

/// The lint step: reads both files under `root`.
pub fn check(root: &Path) -> Vec<String> {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| format!("cannot read {p}: {e}"));
    let source = match read(SOURCE).and_then(|s| parse_source(&s).map_err(|e| format!("{SOURCE}: {e}"))) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    let rows = match read(DOC).and_then(|s| parse_doc(&s).map_err(|e| format!("{DOC}: {e}"))) {
        Ok(r) => r,
        Err(e) => return vec![e],
    };
    compare(&source, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "//! x\n\nranks! {\n    /// Outer.\n    A = 1,\n    /// Inner.\n    B = 2,\n    C = 3,\n}\n";
    const MD: &str = "# X\n\n## Lock order\n\n| Rank | Class | Protects | May be taken under it |\n|---|---|---|---|\n| 1 | `A` | a | `B`, `C` |\n| 2 | `B` | b | `C` |\n| 3 | `C` | c | nothing |\n\n## Next\n| 9 | Z | z | - |\n";

    #[test]
    fn agreeing_lists_pass() {
        let source = parse_source(SRC).unwrap();
        assert_eq!(source, vec![(1, "A".into()), (2, "B".into()), (3, "C".into())]);
        let rows = parse_doc(MD).unwrap();
        assert_eq!(rows.len(), 3, "the next section's table is not read");
        assert_eq!(compare(&source, &rows), Vec::<String>::new());
    }

    #[test]
    fn disagreements_fail() {
        let source = parse_source(SRC).unwrap();
        // A class missing from the document.
        let rows = parse_doc(&MD.replace("| 3 | `C` | c | nothing |\n", "")).unwrap();
        assert!(compare(&source, &rows).iter().any(|p| p.contains("no row `| 3 | C |`")));
        // A rank that differs.
        let rows = parse_doc(&MD.replace("| 2 | `B` |", "| 4 | `B` |")).unwrap();
        assert!(!compare(&source, &rows).is_empty());
        // Rows out of order.
        let swapped = MD.replace(
            "| 2 | `B` | b | `C` |\n| 3 | `C` | c | nothing |",
            "| 3 | `C` | c | nothing |\n| 2 | `B` | b | `C` |",
        );
        assert!(compare(&source, &parse_doc(&swapped).unwrap()).iter().any(|p| p.contains("rank order")));
        // A lower class said to be taken under a higher one.
        let rows = parse_doc(&MD.replace("| 3 | `C` | c | nothing |", "| 3 | `C` | c | `A` |")).unwrap();
        assert!(compare(&source, &rows).iter().any(|p| p.contains("only higher ranks")));
        // An unknown class, and an empty "protects".
        let rows = parse_doc(&MD.replace("| 2 | `B` | b | `C` |", "| 2 | `B` |  | `D` |")).unwrap();
        let problems = compare(&source, &rows);
        assert!(problems.iter().any(|p| p.contains("which is no class")));
        assert!(problems.iter().any(|p| p.contains("does not say what it protects")));
        // Ranks that do not increase in the source.
        let source = parse_source(&SRC.replace("C = 3", "C = 2")).unwrap();
        assert!(compare(&source, &parse_doc(MD).unwrap()).iter().any(|p| p.contains("do not increase")));
        // No section at all.
        assert!(parse_doc("# X\n").is_err());
    }

    /// The repository's own kernel source and ARCHITECTURE.md agree.
    #[test]
    fn the_repository_agrees() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(check(root), Vec::<String>::new());
    }
}
