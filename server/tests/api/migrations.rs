//! The two migration directories must stay twins: same versions, same names.

fn names(dir: &str) -> Vec<String> {
    let path = format!("{}/../migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[test]
fn sqlite_and_postgres_migrations_are_twins() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
}

/// Migration 0009 spells out the VIP tiers for the calls' `vip` flag: they must be the
/// domain's (`loopdesk::metrics::is_vip`).
#[test]
fn the_vip_tiers_of_the_call_facts_are_the_domains() {
    use loopdesk::customer::Tier;
    let list = Tier::ALL
        .into_iter()
        .filter(|t| loopdesk::metrics::is_vip(*t))
        .map(|t| format!("'{}'", t.code()))
        .collect::<Vec<_>>()
        .join(", ");
    for dir in ["sqlite", "postgres"] {
        let path = format!(
            "{}/../migrations/{dir}/0009_report_facts.sql",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let uses = text.matches("c.tier in (").count();
        assert!(uses >= 2, "{path}");
        assert_eq!(
            text.matches(&format!("c.tier in ({list})")).count(),
            uses,
            "{path}: every VIP list is ({list})"
        );
    }
}
