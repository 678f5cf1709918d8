//! Grades every labelled transcript in `data/dialogue/labelled/` and compares the
//! grader with the teacher's labels: prints the step agreement, asserts ≥ 90 %,
//! and asserts that every transcript's violation codes agree exactly.

#![allow(
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used
)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use std::collections::{BTreeMap, BTreeSet};

use review_lab::dialogue::{grade, Transcript};
use serde::Deserialize;

const FILES: [(&str, &str); 4] = [
    (
        "good.json",
        include_str!("../data/dialogue/labelled/good.json"),
    ),
    (
        "weak-wrong.json",
        include_str!("../data/dialogue/labelled/weak-wrong.json"),
    ),
    (
        "varied.json",
        include_str!("../data/dialogue/labelled/varied.json"),
    ),
    (
        "fresh.json",
        include_str!("../data/dialogue/labelled/fresh.json"),
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    id: String,
    kind: String,
    note: String,
    transcript: Transcript,
    labels: BTreeMap<String, bool>,
    violations: Vec<String>,
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn grader_agrees_with_the_teacher() {
    let mut steps_total = 0usize;
    let mut steps_agree = 0usize;
    let mut transcripts = 0usize;
    let mut violation_mismatch = Vec::new();
    let mut step_mismatch = Vec::new();
    for (file, text) in FILES {
        let items: Vec<Labelled> =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for item in items {
            assert!(!item.kind.is_empty() && !item.note.is_empty());
            transcripts += 1;
            let r = grade(&item.transcript, None).unwrap_or_else(|e| panic!("{}: {e}", item.id));
            for step in &r.steps {
                let want = item.labels.get(step.id.name()).copied();
                assert!(
                    want.is_some(),
                    "{}: no label for {}",
                    item.id,
                    step.id.name()
                );
                steps_total += 1;
                if want == Some(step.passed) {
                    steps_agree += 1;
                } else {
                    step_mismatch.push(format!(
                        "{} {}: teacher {:?}, grader {}",
                        item.id,
                        step.id.name(),
                        want,
                        step.passed
                    ));
                }
            }
            let got: BTreeSet<&str> = r.violations.iter().map(|v| v.code.as_str()).collect();
            let want: BTreeSet<&str> = item.violations.iter().map(String::as_str).collect();
            if got != want {
                violation_mismatch.push(format!("{}: teacher {want:?}, grader {got:?}", item.id));
            }
        }
    }
    let pct = steps_agree as f64 * 100.0 / steps_total.max(1) as f64;
    println!("labelled transcripts: {transcripts}");
    println!("step agreement: {pct:.1}% ({steps_agree}/{steps_total})");
    println!(
        "violation agreement: {}/{} transcripts exact",
        transcripts - violation_mismatch.len(),
        transcripts
    );
    for m in &step_mismatch {
        println!("  step differs: {m}");
    }
    for m in &violation_mismatch {
        println!("  violations differ: {m}");
    }
    assert!(transcripts >= 40, "need at least 40 labelled transcripts");
    assert!(pct >= 90.0, "step agreement {pct:.1}% is below 90%");
    assert!(violation_mismatch.is_empty(), "violation labels differ");
}
