//! Every scenario shipped in scenarios/ is valid, runs, keeps every person accounted for, is described in
//! scenarios/README.md, and sources its numbers: each line that sets a number has a comment on it or just above it.

use crate::support;

use std::path::PathBuf;

fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    files
}

#[test]
fn every_shipped_scenario_runs_with_every_person_accounted_for() {
    for file in shipped() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name == "full-border-2019.toml" {
            continue; // ten years of the whole border: checked on its own in tests/conservation.rs
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let scenario = safe_third::scenario::Scenario::from_toml(&text, &name).unwrap_or_else(|e| panic!("{e}"));
        let result = support::run(&scenario, 2, 5, 0);
        support::check_identities(&scenario, &result);
    }
}

#[test]
fn every_shipped_scenario_has_a_paragraph_in_the_scenarios_readme() {
    let readme = std::fs::read_to_string("scenarios/README.md").unwrap();
    for file in shipped() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(readme.contains(&format!("[`{name}`]")), "scenarios/README.md does not describe {name}");
    }
}

#[test]
fn every_number_in_a_shipped_scenario_has_a_comment_beside_or_above_it() {
    let mut missing: Vec<String> = Vec::new();
    for file in shipped() {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split('#').next().unwrap();
            let sets_a_number = code.contains('=')
                && code
                    .split('=')
                    .nth(1)
                    .is_some_and(|v| v.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '[' || c == '{'))
                && code.chars().any(|c| c.is_ascii_digit());
            if !sets_a_number || line.contains('#') {
                continue;
            }
            // A comment in the block of lines above (it may cover a group of lines, e.g. a table and its header).
            let above = lines[..i].iter().rev().take_while(|l| !l.trim().is_empty()).any(|l| l.contains('#'));
            if !above {
                missing.push(format!("{}:{}: `{}`", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "numbers without a comment giving their source or saying they are assumptions:\n{}",
        missing.join("\n")
    );
}
